"""Date and time formats for kk, ru and en (FORMAT_MODULE_PATH): dd.mm.yyyy and 24-hour
times in every language of this Kazakh product; Django's own locale files fill the rest
(ru's decimal comma, month names)."""
