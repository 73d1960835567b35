"""Bulk imports: many resumes, or a CSV's rows, brought in by the worker with a per-item report.

The web request stages the work (`start`): an ImportBatch and one ImportItem per file (its bytes
copied under `imports/<batch>/`) or per CSV row, and queues `worker.import_run` once that
commits. The worker (`worker`) imports the pending items in order, one transaction each.
"""

from accord.candidates.imports.csvfile import (
    CSV_FIELDS,
    CSV_MAX_BYTES,
    CSV_MAX_ROWS,
    guess_mapping,
    read_csv,
    validate_mapping,
)
from accord.candidates.imports.start import (
    import_continue,
    import_csv_start,
    import_discard,
    import_files_start,
    import_mapping_set,
    resume_import,
)
from accord.candidates.imports.worker import Result, import_run

__all__ = [
    "CSV_FIELDS",
    "CSV_MAX_BYTES",
    "CSV_MAX_ROWS",
    "Result",
    "guess_mapping",
    "import_continue",
    "import_csv_start",
    "import_discard",
    "import_files_start",
    "import_mapping_set",
    "import_run",
    "read_csv",
    "resume_import",
    "validate_mapping",
]
