"""Where applicants' files and wizard state live: private, server-side storage.

``private_storage`` keeps uploads outside MEDIA_ROOT with no public URL, so
the only way to read one is the permission-checked download view.
``DraftStorage`` is a django-formtools storage backend that keeps the
wizard's state in a ``Draft`` row instead of the session: an applicant can
close the browser and resume on another device.
"""

import copy

from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject
from formtools.wizard.storage.base import BaseStorage

from forms_app import conf


class PrivateStorage(LazyObject):
    """A file system storage under ``SHENBAO_PRIVATE_MEDIA_ROOT``, without a base URL."""

    def _setup(self):
        # Read the setting when first used, so tests can point it elsewhere.
        self._wrapped = FileSystemStorage(location=conf.private_media_root(), base_url=None)


private_storage = PrivateStorage()


def get_private_storage():
    """Return the storage of applicants' uploads (a callable, so migrations stay stable)."""
    return private_storage


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
