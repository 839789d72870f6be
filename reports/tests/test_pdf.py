"""reports.pdf.render_pdf: a template becomes a PDF; Chinese text gets a CJK font when one is installed (CI installs
Noto CJK) and the PDF is still made when none is; only data: URLs and the application's static files are read."""

import os
import subprocess
import sys
import textwrap
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.test import override_settings
from pypdf import PdfReader

from reports.pdf import BASE_URL, _static_file, render_pdf

CHINESE = "血小板计数 免疫性血小板减少症"
PAGE = ("{% load static %}<html><head><link rel='stylesheet' href='{% static \"css/report-pdf.css\" %}'>"
        "<style>html { font-family: {{ pdf_font_families|safe }}; }</style></head>"
        "<body><h1>{{ title }}</h1><p>{{ text }}</p>"
        "<img src='http://127.0.0.1:9/never.png'><img src='file:///etc/hostname'></body></html>")
LOCMEM = [{"BACKEND": "django.template.backends.django.DjangoTemplates",
           "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", {"page.html": PAGE})],
                       "builtins": []}}]


def fonts(pdf: bytes) -> set[str]:
    reader = PdfReader(BytesIO(pdf))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@override_settings(TEMPLATES=LOCMEM)
def test_chinese_text_is_set_in_a_cjk_font_and_can_be_extracted():
    pdf = render_pdf(template_name="page.html", context={"title": "Study report", "text": CHINESE})
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) == 1
    assert CHINESE.replace(" ", "") in reader.pages[0].extract_text().replace(" ", "")
    assert any("CJK" in name or "WenQuanYi" in name for name in fonts(pdf)), fonts(pdf)


def test_without_a_cjk_font_the_pdf_is_still_made(tmp_path):
    """A fontconfig that knows only DejaVu (no Chinese glyphs): the same page still renders, with boxes."""
    config = tmp_path / "fonts.conf"
    config.write_text(textwrap.dedent(f"""\
        <?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
        <fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{tmp_path}/cache</cachedir></fontconfig>
    """))
    script = textwrap.dedent(f"""
        import sys
        import django
        from django.conf import settings
        settings.configure(INSTALLED_APPS=["django.contrib.staticfiles"], STATIC_URL="/static/",
                           STATICFILES_DIRS={[str(Path(settings.BASE_DIR) / "static")]!r},
                           TEMPLATES={LOCMEM!r})
        django.setup()
        from reports.pdf import render_pdf
        sys.stdout.buffer.write(render_pdf(template_name="page.html", context={{"title": "x", "text": {CHINESE!r}}}))
    """)
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run([sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True,
                          timeout=120, check=True)
    pdf = done.stdout
    assert pdf.startswith(b"%PDF-") and len(PdfReader(BytesIO(pdf)).pages) == 1
    assert not any("CJK" in name for name in fonts(pdf))
    assert any("DejaVu" in name for name in fonts(pdf))


def test_only_the_applications_static_files_are_read():
    css = _static_file(f"{BASE_URL}static/css/report-pdf.css")
    assert css == Path(settings.BASE_DIR) / "static" / "css" / "report-pdf.css"
    assert _static_file(f"{BASE_URL}static/../manage.py") is None
    assert _static_file(f"{BASE_URL}static/css/missing.css") is None
    assert _static_file("http://127.0.0.1:9/static/css/report-pdf.css") is None
    assert _static_file(f"{BASE_URL}media/x.png") is None
