"""makemessages without fuzzy matching.

gettext's fuzzy matching guesses a translation for a new message from a similar
old one ("导入年度投资收益" came out as "Import grades"); a guess shown to users
is worse than a visible gap, so new messages stay untranslated until someone
writes their English.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
