"""`python -m putuo_community` runs the same entry point as `putuo-community`."""

from putuo_community.app import main

if __name__ == "__main__":  # not when a batch print's worker process imports this module
    raise SystemExit(main())
