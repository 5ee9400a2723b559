"""普陀小区档案 (putuo-community): one dossier per residential estate for 普陀区."""

__version__ = "0.1.0"
APP_NAME = "putuo-community"
APP_TITLE = "普陀小区档案"
