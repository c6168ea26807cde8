"""The organisation tree, users with their role and scope, and the workers.

One module per concept; every model is re-exported here, which is where
Django finds them.
"""

# The documents' models live in their own module (they import nothing of
# core); importing them here makes them part of core's models and migrations.
from core.documents.models import (  # noqa: F401
    Disclosure,
    DocumentBatch,
    DocumentBatchPart,
    DocumentCounter,
    DocumentKind,
    DownloadLog,
    IssuedDocument,
)

from .places import SHIPPED_POST_NAMES as SHIPPED_POST_NAMES
from .places import CentreStandard as CentreStandard
from .places import City as City
from .places import Community as Community
from .places import District as District
from .places import Post as Post
from .places import Street as Street
from .places import TimeStampedModel as TimeStampedModel
from .records import ChangeLog as ChangeLog
from .records import ImportJob as ImportJob
from .users import Role as Role
from .users import User as User
from .workers import CertificateKind as CertificateKind
from .workers import Education as Education
from .workers import Gender as Gender
from .workers import Position as Position
from .workers import Worker as Worker
from .workers import WorkerCertificate as WorkerCertificate
from .workers import WorkerPosition as WorkerPosition
from .workers import citizen_id_message as citizen_id_message
