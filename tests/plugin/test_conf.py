"""The plugin's settings: every one optional, with a default a fresh Wagtail site can live with."""

from pathlib import Path

from django.test import override_settings

from forms_app import conf
from notices import conf as notices_conf


def test_defaults_without_any_plugin_setting(settings, tmp_path):
    for name in [
        "SHENBAO_PRIVATE_MEDIA_ROOT",
        "SHENBAO_PDF_CJK_FONT",
        "SHENBAO_PDF_SYMBOL_FONT",
        "SHENBAO_BACKGROUND_STALE_AFTER",
        "SHENBAO_NOTICES_PER_PAGE",
        "SHENBAO_NOTICES_CLOSING_SOON_DAYS",
        "SHENBAO_MAX_DRAFTS_PER_ACCOUNT",
        "SHENBAO_MAX_UPLOAD_BYTES_PER_ACCOUNT",
    ]:
        if hasattr(settings, name):
            delattr(settings, name)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # Uploads go beside the public media folder, never inside it.
    assert conf.private_media_root() == tmp_path / "private_media"
    assert conf.pdf_fonts()["cjk"].endswith("gbsn00lp.ttf")
    assert conf.pdf_fonts()["symbols"].endswith("DejaVuSans.ttf")
    assert conf.background_stale_after() == 30
    assert conf.max_drafts_per_account() == 50
    assert conf.max_upload_bytes_per_account() == 500 * 1024 * 1024
    assert notices_conf.per_page() == 10
    assert notices_conf.closing_soon_days() == 7


@override_settings(
    SHENBAO_PRIVATE_MEDIA_ROOT="/srv/private",
    SHENBAO_PDF_CJK_FONT="/opt/fonts/cjk.ttf",
    SHENBAO_PUBLIC_URL="https://rsj.example.gov.cn/",
    SHENBAO_NOTICES_PER_PAGE="25",
)
def test_a_host_site_overrides_what_it_needs():
    assert conf.private_media_root() == Path("/srv/private")
    assert conf.pdf_fonts()["cjk"] == "/opt/fonts/cjk.ttf"
    assert conf.public_url() == "https://rsj.example.gov.cn"
    assert notices_conf.per_page() == 25
