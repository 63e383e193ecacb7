"""The QR code of an otpauth URI as a PNG, for the enrol page's image.

Drawn with Pillow from the modules the printouts' codes are drawn from (``forms_app/qr.py``).
"""

from io import BytesIO

from PIL import Image, ImageDraw

from forms_app.qr import QR_BORDER, qr_modules

MODULE_PIXELS = 6


def qr_png(data):
    """Return the PNG bytes of ``data``'s QR code, black on white with its quiet zone."""
    count, runs = qr_modules(data)
    side = (count + 2 * QR_BORDER) * MODULE_PIXELS
    image = Image.new("1", (side, side), 1)
    draw = ImageDraw.Draw(image)
    for row, column, length in runs:
        left, top = (column + QR_BORDER) * MODULE_PIXELS, (row + QR_BORDER) * MODULE_PIXELS
        draw.rectangle((left, top, left + length * MODULE_PIXELS - 1, top + MODULE_PIXELS - 1), fill=0)
    output = BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()
