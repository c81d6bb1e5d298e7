"""Messages of Django REST framework that our catalogues translate better than its own.

Listing them here keeps them in ``makemessages`` output; our ``LOCALE_PATHS`` take precedence
over the library's catalogue at run time.
"""

from django.utils.translation import gettext_noop

OVERRIDDEN = (
    gettext_noop("This field is required."),
    gettext_noop('"{input}" is not a valid choice.'),
    gettext_noop("Not found."),
)
