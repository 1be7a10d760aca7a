"""The newsletter's web side: one-click unsubscribe, sign-up with confirmation, the archive and its feed.

``archive`` builds the public pages and the Atom feed (used by ``composer serve`` and by
``composer publish`` alike); ``app`` is the Starlette application ``composer serve`` runs.
"""
