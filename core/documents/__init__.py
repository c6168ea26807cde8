"""Official documents: issued, numbered, signed and verifiable PDFs, their bulk
production, and the log of every file a user downloads.

Core holds the machinery; the apps register what they print through their
``documents.py`` (see ``core.extensions``) and call ``services.document_issue``.
"""
