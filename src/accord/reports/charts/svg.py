"""matplotlib's SVG made fit to sit inside a page under Accord's Content-Security-Policy."""

import hashlib
import re
from typing import Final
from xml.etree import ElementTree as ET

from accord.reports.charts.sheet import FONT_FAMILY

SVG_NS: Final = "http://www.w3.org/2000/svg"
XLINK_HREF: Final = "{http://www.w3.org/1999/xlink}href"

_NUMBER = re.compile(r"(-?\d+\.\d\d)\d+")
_NO_ROTATION = re.compile(r"rotate\(-?0 [^)]*\)")
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_URL_REF = re.compile(r"url\(#([^)]+)\)")
_COORDINATES = frozenset({"d", "x", "y", "transform", "points", "width", "height"})
_WITH_TEXT = frozenset({"text", "tspan"})


def _declarations(style: str) -> list[tuple[str, str]]:
    pairs = []
    for declaration in style.split(";"):
        prop, sep, value = declaration.partition(":")
        if sep and prop.strip() and value.strip():
            pairs.append((prop.strip(), value.strip()))
    return pairs


def inline_svg(raw: bytes, *, name: str, title: str, alt: str) -> str:
    """matplotlib's SVG, made fit to sit inside a page:

    - style attributes and the <style> element become presentation attributes, because the
      CSP's `style-src 'self'` blocks inline styles;
    - no XML declaration, DOCTYPE or metadata;
    - ids renumbered with a prefix from the chart's content, so two charts on one page never
      share an id unless they are the same picture; ids nothing refers to are dropped;
    - 100% wide, viewBox kept; coordinates rounded to 1/100 pt, the font named once, no-op
      attributes and bare groups dropped, to keep the markup small.
    """
    source = ET.fromstring(raw)  # noqa: S314 (our own matplotlib output, not user input)
    referenced: set[str] = set()
    for element in source.iter():
        for key, value in element.attrib.items():
            if key in (XLINK_HREF, "href") and value.startswith("#"):
                referenced.add(value[1:])
            referenced.update(_URL_REF.findall(value))
    digest = hashlib.sha256(raw).hexdigest()[:8]
    renamed = {old: f"{name}-{digest}-{n}" for n, old in enumerate(sorted(referenced))}
    inherited: dict[str, str] = {}

    def attributes(element: ET.Element) -> dict[str, str]:
        pairs = [(k, v) for k, v in element.attrib.items() if k != "style"]
        pairs += _declarations(element.get("style", ""))
        result = {}
        for key, value in pairs:
            if key == XLINK_HREF:
                key = "href"
            if key == "id":
                if value not in renamed:
                    continue
                value = renamed[value]
            elif key == "href" and value[1:] in renamed:
                value = "#" + renamed[value[1:]]
            elif "url(#" in value:
                value = _URL_REF.sub(lambda match: f"url(#{renamed[match.group(1)]})", value)
            elif key == "font-family" or (key == "text-anchor" and value == "start"):
                continue  # the font is named once, on the root; "start" is the default
            elif key in _COORDINATES:
                value = _NUMBER.sub(r"\1", " ".join(value.split()))
                if key == "transform":
                    value = _NO_ROTATION.sub("", value).strip()
                    if not value:
                        continue
            result[key] = value
        return result

    def copy(parent: ET.Element, into: ET.Element) -> None:
        for child in parent:
            tag = child.tag.rpartition("}")[2]
            if tag == "metadata":
                continue
            if tag == "style":
                for selector, body in _RULE.findall(child.text or ""):
                    if selector.strip() == "*":
                        inherited.update(_declarations(body))
                continue
            values = attributes(child)
            if tag == "g" and not values:
                copy(child, into)
                continue
            element = ET.SubElement(into, tag, values)
            if tag in _WITH_TEXT:
                element.text = child.text
            copy(child, element)
            if tag == "defs" and not len(element):
                into.remove(element)

    # Namespaces are written by hand: ElementTree's default_namespace refuses plain attribute
    # names, and register_namespace would change global state.
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": source.get("viewBox", ""),
            "width": "100%",
            "role": "img",
            "aria-label": alt,
            "class": f"chart chart-{name}",
            "font-family": FONT_FAMILY,
        },
    )
    ET.SubElement(root, "title").text = title
    ET.SubElement(root, "desc").text = alt
    copy(source, root)
    for key, value in inherited.items():
        root.set(key, value)
    ET.indent(root, space="")
    return ET.tostring(root, encoding="unicode")
