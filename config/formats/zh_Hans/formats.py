"""Dates as Chinese offices write them: 2026年11月30日 (zero-padded, so columns
line up); Django's own zh_Hans format drops the padding."""

DATE_FORMAT = "Y年m月d日"
SHORT_DATE_FORMAT = "Y年m月d日"
DATETIME_FORMAT = "Y年m月d日 H:i"
SHORT_DATETIME_FORMAT = "Y年m月d日 H:i"
YEAR_MONTH_FORMAT = "Y年m月"
MONTH_DAY_FORMAT = "m月d日"
TIME_FORMAT = "H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
