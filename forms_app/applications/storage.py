"""Where applicants' files and wizard state live: private, server-side storage.

``private_storage`` holds every private file (uploads, stamped scans, exports, import files, batch
lists). It is the ``"private"`` entry of Django's ``STORAGES`` (any backend: the file system, an
S3-compatible object store through django-storages, …), or, where a site has none, a folder at
``SHENBAO_PRIVATE_MEDIA_ROOT``. Nothing ever asks it for a URL: the only way to read a file is a
permission-checked view that streams it. ``DraftStorage`` is a django-formtools storage backend
that keeps the wizard's state in a ``Draft`` row instead of the session: an applicant can close the
browser and resume on another device.
"""

import copy

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from formtools.wizard.storage.base import BaseStorage

from forms_app import conf


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder of private files: it has no URL, so none can be handed out by mistake."""

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a permission-checked view.")


class PrivateStorage(LazyObject):
    """The storage of ``STORAGES[SHENBAO_PRIVATE_STORAGE]``, or a private folder where there is none."""

    def _setup(self):
        # Resolved when first used (and again when the settings change), so tests can point it elsewhere.
        alias = conf.private_storage_alias()
        if alias in settings.STORAGES:
            self._wrapped = storages[alias]
        else:
            self._wrapped = PrivateFileSystemStorage(location=conf.private_media_root())


private_storage = PrivateStorage()


@receiver(setting_changed)
def reset_private_storage(*, setting, **kwargs):
    if setting in {"STORAGES", "SHENBAO_PRIVATE_STORAGE", "SHENBAO_PRIVATE_MEDIA_ROOT"}:
        private_storage._wrapped = empty


def get_private_storage():
    """Return the storage of applicants' uploads (a callable, so migrations stay stable)."""
    return private_storage


def delete_after_commit(name, storage=None):
    """Remove the stored file ``name`` once the transaction that stopped referring to it commits.

    Never before: were the transaction rolled back, its rows would still name the file. A crash between
    the commit and the removal leaves an unreferenced file (which a purge can find), never a row that
    names a missing one.
    """
    storage = storage or private_storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


class DraftStorage(BaseStorage):
    """formtools storage backed by a ``Draft`` row; saved when the response is ready."""

    def __init__(self, prefix, request=None, file_storage=None, draft=None):
        super().__init__(prefix, request, file_storage)
        self.draft = draft
        state = (draft.wizard_state or {}).get(self.prefix) if draft is not None else None
        if state:
            # A copy, so that save() can tell whether this request changed anything.
            self.data = copy.deepcopy(state)
        else:
            self.init_data()

    def get_step_files(self, step):
        # Uploads are kept as UploadedFile rows and reach the forms as initial
        # values, so formtools' own temporary-file copies are never used.
        return None

    def set_step_files(self, step, files):
        return None

    def reset(self):
        self.init_data()

    def update_response(self, response):
        self.save()

    def save(self):
        """Write the wizard state into the draft."""
        if self.draft is None:
            return
        state = dict(self.draft.wizard_state or {})
        if state.get(self.prefix) != self.data:
            state[self.prefix] = self.data
            self.draft.wizard_state = state
            self.draft.save(update_fields=["wizard_state", "updated_at"])
