"""All-or-nothing imports with a clear message for every bad row.

Every importer of the project (rosters, grades, ratings, allocations, tables)
goes through ``import_dataset`` (``dataset.py``); the uploaded file is read
in ``upload.py`` and the cells are parsed by the widgets of ``widgets.py``.
Every public name is re-exported here, so callers keep ``core.imports``.
"""

from .dataset import EMPTY_COUNTS as EMPTY_COUNTS
from .dataset import ImportReport as ImportReport
from .dataset import RowReport as RowReport
from .dataset import header_report as header_report
from .dataset import headers_problem as headers_problem
from .dataset import import_dataset as import_dataset
from .upload import FORMULA_CELLS_SHOWN as FORMULA_CELLS_SHOWN
from .upload import IMPORT_FORMATS as IMPORT_FORMATS
from .upload import MAX_IMPORT_BYTES as MAX_IMPORT_BYTES
from .upload import ImportFileError as ImportFileError
from .upload import dataset_from_upload as dataset_from_upload
from .widgets import FILE_LANGUAGE as FILE_LANGUAGE
from .widgets import CodeWidget as CodeWidget
from .widgets import LabelChoiceWidget as LabelChoiceWidget
from .widgets import LocalDateWidget as LocalDateWidget
from .widgets import MoneyAmountWidget as MoneyAmountWidget
from .widgets import choice_maps as choice_maps
