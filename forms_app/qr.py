"""QR codes as runs of dark modules, drawn by whoever needs one: the printouts' PDF, and as a PNG the Word
copy's code and the enrol page's image.

reportlab's encoder gives the modules, so the site needs no QR package of its own.
"""

from functools import lru_cache
from io import BytesIO

from PIL import Image, ImageDraw
from reportlab.graphics.barcode import qrencoder

QR_BORDER = 4  # the quiet zone around the code, in modules
MODULE_PIXELS = 6


@lru_cache(maxsize=512)
def qr_modules(url):
    """Return ``(module count, dark runs as (row, column, length))`` of the QR code of ``url``.

    Encoding tries eight masks in pure Python; a copy printed again reuses the result.
    """
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.L)  # reportlab's QR widget defaults
    code.addData(url)
    code.make()
    runs = []
    for row, modules in enumerate(code.modules):
        column = 0
        while column < len(modules):
            if modules[column]:
                start = column
                while column < len(modules) and modules[column]:
                    column += 1
                runs.append((row, start, column - start))
            else:
                column += 1
    return code.getModuleCount(), tuple(runs)


def qr_png(data, module_pixels=MODULE_PIXELS):
    """Return the PNG bytes of ``data``'s QR code, black on white with its quiet zone."""
    count, runs = qr_modules(data)
    side = (count + 2 * QR_BORDER) * module_pixels
    image = Image.new("1", (side, side), 1)
    draw = ImageDraw.Draw(image)
    for row, column, length in runs:
        left, top = (column + QR_BORDER) * module_pixels, (row + QR_BORDER) * module_pixels
        draw.rectangle((left, top, left + length * module_pixels - 1, top + module_pixels - 1), fill=0)
    output = BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()
