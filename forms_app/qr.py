"""QR codes as runs of dark modules, drawn by whoever needs one: the printouts' PDF and the enrol page's PNG.

reportlab's encoder gives the modules, so the site needs no QR package of its own.
"""

from functools import lru_cache

from reportlab.graphics.barcode import qrencoder

QR_BORDER = 4  # the quiet zone around the code, in modules


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
