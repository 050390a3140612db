"""Pictures: read an upload safely, and make the reference's variants of it.

The variants have the reference's sizes and formats (PNG, RGBA, the picture fitted into the box
with its ratio kept and centred on a transparent canvas of the box's size): `thumbnails` 150x100,
`thumbnails-square` 100x100, `previews` 1200 wide (height from the ratio); avatars, project
thumbnails and organisation logos 400x400. The `original` is the upload re-encoded as PNG.
"""

import io
import math

from django.conf import settings
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

THUMBNAIL_SIZE = (150, 100)
SQUARE_THUMBNAIL_SIZE = (100, 100)
PREVIEW_WIDTH = 1200
AVATAR_SIZE = (400, 400)
TILE_HEIGHT = 100

# Pillow's own guard stays on as a second line (it raises past twice this many pixels).
Image.MAX_IMAGE_PIXELS = settings.MAX_IMAGE_PIXELS
ImageFile.LOAD_TRUNCATED_IMAGES = False
SRGB = ImageCms.createProfile("sRGB")


class NotAPicture(ValueError):
    """The file is no picture this server reads (or one too large to decode)."""


def open_picture(path):
    """The picture at `path`, decoded, upright (EXIF orientation applied) and in sRGB: RGB, or
    RGBA when it has transparency. Refused (NotAPicture) when it is no readable picture or has
    more than MAX_IMAGE_PIXELS pixels, which is told from its header, before decoding it."""
    try:
        image = Image.open(path)
        width, height = image.size
        if width * height > settings.MAX_IMAGE_PIXELS:
            raise NotAPicture(
                f"The picture is too large: {width}x{height} pixels "
                f"(at most {settings.MAX_IMAGE_PIXELS} pixels)."
            )
        image.load()
        image = ImageOps.exif_transpose(image)
        return to_srgb(image)
    except NotAPicture:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError) as error:
        raise NotAPicture("Uploaded file is not a readable picture.") from error


def is_picture(path):
    """Whether Pillow recognises the file's content as a picture (its header only)."""
    try:
        with Image.open(path) as image:
            image.size  # noqa: B018 (the header is parsed)
        return True
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return False


def to_srgb(image):
    """RGB or RGBA pixels in sRGB, whatever the mode (16-bit grey, CMYK, palette...) and the
    embedded colour profile."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L"):
        # Deep greys: scale to 8 bits (a plain convert clamps everything above 255 to white).
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    elif image.mode == "F":
        image = image.point(lambda value: value * 255).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "La", "RGBa", "PA") or "transparency" in image.info
    target = "RGBA" if has_alpha else "RGB"
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
            image = ImageCms.profileToProfile(image, source, SRGB, outputMode=output_mode)
        except (ImageCms.PyCMSError, OSError):
            pass  # a broken profile is not worth refusing the picture
    return image if image.mode == target else image.convert(target)


def fitted(image, box):
    """`image` scaled (up or down, its ratio kept) to fit in `box`, centred on a transparent
    canvas of exactly the box's size."""
    box_width, box_height = box
    width, height = image.size
    scale = min(box_width / width, box_height / height)
    size = (max(1, min(box_width, round(width * scale))), max(1, min(box_height, round(height * scale))))
    resized = image.convert("RGBA").resize(size, Image.Resampling.LANCZOS) if size != image.size else image
    canvas = Image.new("RGBA", box, (0, 0, 0, 0))
    canvas.paste(resized.convert("RGBA"), ((box_width - size[0]) // 2, (box_height - size[1]) // 2))
    return canvas


def preview_box(image):
    width, height = image.size
    return PREVIEW_WIDTH, max(1, math.ceil(PREVIEW_WIDTH * height / width))


def variants(image):
    """{prefix: picture} of the preview variants of a picture."""
    return {
        "thumbnails": fitted(image, THUMBNAIL_SIZE),
        "thumbnails-square": fitted(image, SQUARE_THUMBNAIL_SIZE),
        "previews": fitted(image, preview_box(image)),
    }


def png_bytes(image):
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def save_png(image, path):
    image.save(path, "PNG")
    return path
