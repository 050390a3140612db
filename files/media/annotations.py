"""Annotations burnt into a frame: the web UI's drawings (fabric.js objects: free-hand paths,
rectangles, ellipses, lines, arrows, polylines, texts) drawn with Pillow, scaled from the canvas
they were drawn on to the picture. An approximation of the browser's canvas (no pressure, no
eraser), enough to read a reviewer's notes on an exported frame; and the bundles of every
annotated frame (a ZIP of PNGs, a multi-page PDF)."""

import math
import zipfile

from PIL import Image, ImageColor, ImageDraw, ImageFont

DEFAULT_COLOR = (255, 0, 0, 255)


def color_of(value, default=None):
    if not value or value == "transparent" or not isinstance(value, str):
        return default
    try:
        rgba = ImageColor.getcolor(value, "RGBA")
    except ValueError:
        return default
    return rgba


def points_of(path, scale):
    """The points a fabric.js path goes through (curves by their control and end points)."""
    points = []
    for command in path or []:
        if not isinstance(command, list | tuple) or len(command) < 3:
            continue
        numbers = [value for value in command[1:] if isinstance(value, int | float)]
        for index in range(0, len(numbers) - 1, 2):
            points.append((numbers[index] * scale[0], numbers[index + 1] * scale[1]))
    return points


def render(image, annotation):
    """`image` (any mode) with the drawing objects of `annotation` burnt in, as RGBA."""
    canvas = image.convert("RGBA")
    overlay = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    drawing = annotation.get("drawing") if isinstance(annotation, dict) else None
    for item in (drawing or {}).get("objects") or []:
        if isinstance(item, dict):
            draw_object(draw, item, canvas.size)
    return Image.alpha_composite(canvas, overlay)


def draw_object(draw, item, size):
    canvas_width = item.get("canvasWidth") or size[0]
    canvas_height = item.get("canvasHeight") or size[1]
    scale = (size[0] / canvas_width, size[1] / canvas_height)
    stroke = color_of(item.get("stroke"), DEFAULT_COLOR)
    fill = color_of(item.get("fill"))
    width = max(1, round((item.get("strokeWidth") or 1) * min(scale)))
    left, top = (item.get("left") or 0) * scale[0], (item.get("top") or 0) * scale[1]
    box_width = (item.get("width") or 0) * (item.get("scaleX") or 1) * scale[0]
    box_height = (item.get("height") or 0) * (item.get("scaleY") or 1) * scale[1]
    kind = (item.get("type") or "").lower()
    if kind in ("path", "psstroke"):
        points = points_of(item.get("path"), scale)
        if len(points) > 1:
            draw.line(points, fill=stroke, width=width, joint="curve")
    elif kind == "rect":
        draw.rectangle(
            [left, top, left + box_width, top + box_height], outline=stroke, fill=fill, width=width
        )
    elif kind in ("circle", "ellipse"):
        rx = (item.get("rx") or item.get("radius") or 0) * (item.get("scaleX") or 1) * scale[0]
        ry = (item.get("ry") or item.get("radius") or 0) * (item.get("scaleY") or 1) * scale[1]
        draw.ellipse([left, top, left + 2 * rx, top + 2 * ry], outline=stroke, fill=fill, width=width)
    elif kind in ("line", "arrow"):
        start = ((item.get("x1") or 0) * scale[0], (item.get("y1") or 0) * scale[1])
        end = ((item.get("x2") or 0) * scale[0], (item.get("y2") or 0) * scale[1])
        draw.line([start, end], fill=stroke, width=width)
        if kind == "arrow":
            draw_arrow_head(draw, start, end, stroke, width)
    elif kind in ("polyline", "polygon"):
        points = [
            ((point.get("x") or 0) * scale[0], (point.get("y") or 0) * scale[1])
            for point in item.get("points") or []
            if isinstance(point, dict)
        ]
        if len(points) > 1:
            if kind == "polygon":
                draw.polygon(points, outline=stroke, fill=fill, width=width)
            else:
                draw.line(points, fill=stroke, width=width)
    elif kind in ("text", "i-text", "textbox"):
        size_px = max(8, round((item.get("fontSize") or 20) * (item.get("scaleY") or 1) * scale[1]))
        font = ImageFont.load_default(size=size_px)
        draw.text(
            (left, top), str(item.get("text") or ""), fill=color_of(item.get("fill"), stroke), font=font
        )
    elif kind == "group":
        for child in item.get("objects") or []:
            if isinstance(child, dict):
                draw_object(draw, {"canvasWidth": canvas_width, "canvasHeight": canvas_height, **child}, size)


def draw_arrow_head(draw, start, end, color, width):
    angle = math.atan2(end[1] - start[1], end[0] - start[0])
    length = max(8, width * 4)
    for side in (-1, 1):
        tip = (
            end[0] - length * math.cos(angle + side * math.pi / 7),
            end[1] - length * math.sin(angle + side * math.pi / 7),
        )
        draw.line([end, tip], fill=color, width=width)


def frame_time(annotation):
    try:
        return float(annotation.get("time"))
    except (TypeError, ValueError):
        return None


def annotation_at(annotations, frame_number, fps):
    """The annotation of frame `frame_number` (1 for the first), within half a frame; None."""
    target = (frame_number - 1) / fps
    for annotation in annotations or []:
        time = frame_time(annotation) if isinstance(annotation, dict) else None
        if time is not None and abs(time - target) <= 1 / (2 * fps):
            return annotation
    return None


def zip_bundle(entries, path):
    """A ZIP of (name, picture) entries, as PNGs."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, image in entries:
            with archive.open(name, "w") as member:
                image.save(member, "PNG")
    return path


def pdf_bundle(entries, path):
    """A PDF of one page per picture (flattened to RGB: PDF pages have no alpha)."""
    pages = [image.convert("RGB") for _, image in entries]
    pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=150.0)
    return path
