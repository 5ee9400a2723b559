"""`python -m putuo_community` runs the same entry point as `putuo-community`."""

from putuo_community.app import main

raise SystemExit(main())
