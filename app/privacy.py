"""Keeping a person's position out of the logs.

Look-ups carry a position (`lat`, `lon`) or a postcode (`q`) in the query
string, and uvicorn's access log writes the whole URL. This filter drops the
query string from every access-log line, so a log never says where anyone is.
"""

import logging


class DropQueryString(logging.Filter):
    """Rewrites uvicorn access records: '/api/venues/nearest?lat=…' → '/api/venues/nearest'."""

    def filter(self, record: logging.LogRecord) -> bool:
        # uvicorn.access records have args (client, method, path, http_version, status).
        if isinstance(record.args, tuple) and len(record.args) >= 3:
            path = record.args[2]
            if isinstance(path, str) and "?" in path:
                args = list(record.args)
                args[2] = path.split("?", 1)[0]
                record.args = tuple(args)
        return True


def install_access_log_filter() -> None:
    access_log = logging.getLogger("uvicorn.access")
    if not any(isinstance(existing, DropQueryString) for existing in access_log.filters):
        access_log.addFilter(DropQueryString())
