"""Demo content for Peerdesk: boards, members and threads as plain Python data."""

from .boards import BOARDS, MEMBERS
from .desktops import THREADS as _DESKTOP_THREADS
from .laptops import THREADS as _LAPTOP_THREADS
from .orders_accounts import THREADS as _ORDERS_ACCOUNTS_THREADS
from .printers import THREADS as _PRINTER_THREADS
from .software_drivers import THREADS as _SOFTWARE_DRIVERS_THREADS

THREADS = (
    _PRINTER_THREADS
    + _LAPTOP_THREADS
    + _DESKTOP_THREADS
    + _SOFTWARE_DRIVERS_THREADS
    + _ORDERS_ACCOUNTS_THREADS
)

__all__ = ["BOARDS", "MEMBERS", "THREADS"]
