"""The charts' one look: the registered ``closer`` theme, its colours, and partner marks.

Colours are set in each chart rather than taken from the active theme, so a partner keeps
their colour whatever theme is on; the theme only styles fonts, background and axes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import altair as alt
from altair.utils import schemapi

# One place for the partners' colours: the pages' reveal uses the same ones.
from closer.colours import PARTNER_COLOURS

THEME = "closer"

PARTNER_SHAPES = ("circle", "square", "triangle-up", "diamond")
TOGETHER_COLOUR = "#4D4D4D"

# Drawn on a canvas, not an SVG of one node per mark: faster (benchmarks.browser_pages), and
# an SVG's marks need alt text of their own; the pages give each chart words beside it.
CANVAS: Final = {"embedOptions": {"renderer": "canvas"}}
BACKGROUND = "#FFFCF7"
TEXT_COLOUR = "#3D3833"
GRID_COLOUR = "#EFE8DE"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


@alt.theme.register(THEME, enable=False)
def closer_theme() -> alt.theme.ThemeConfig:
    """Calm and warm: light warm background, readable system fonts, faint gridlines."""
    return {
        "config": {
            "background": BACKGROUND,
            "font": FONT,
            "view": {"stroke": None},
            "axis": {
                "labelColor": TEXT_COLOUR,
                "titleColor": TEXT_COLOUR,
                "domain": False,
                "gridColor": GRID_COLOUR,
                "tickColor": GRID_COLOUR,
                "labelFontSize": 12,
                "titleFontSize": 12,
                "titleFontWeight": "normal",
            },
            "axisX": {"grid": False},
            "header": {
                "labelColor": TEXT_COLOUR,
                "labelFontSize": 13,
                "labelFontWeight": 600,
                "labelAnchor": "start",
            },
            "legend": {
                "labelColor": TEXT_COLOUR,
                "titleColor": TEXT_COLOUR,
                "orient": "bottom",
                "labelFontSize": 12,
                "titleFontSize": 12,
            },
            "title": {
                "color": TEXT_COLOUR,
                "subtitleColor": TEXT_COLOUR,
                "fontSize": 15,
                "fontWeight": 600,
                "anchor": "start",
            },
            "text": {"color": TEXT_COLOUR, "fontSize": 12},
        }
    }


def enable_theme() -> None:
    """Make ``closer`` the active Altair theme, and build charts without checking each part.

    Pass ``theme=None`` to Streamlit's chart call. Altair by default checks every part of a
    chart against the schema as it is made: without that, the Trends report after a save
    takes 348 ms instead of 528 (eight weeks shown, ten years of sample data). A built spec
    is still checked whole by ``to_dict()``, which the chart tests call for every builder.
    """
    alt.theme.enable(THEME)
    schemapi.disable_debug_mode()


def _partner_colours(n: int) -> list[str]:
    """A colour per partner position, cycling if there are ever more than the palette."""
    return [PARTNER_COLOURS[i % len(PARTNER_COLOURS)] for i in range(n)]


def _colour_of(name: str, partners: Sequence[str]) -> str:
    """A partner's colour, by their position among all partners."""
    return PARTNER_COLOURS[list(partners).index(name) % len(PARTNER_COLOURS)]


def _partner_shapes(n: int) -> list[str]:
    """A point shape per partner position, so partners differ by more than colour."""
    return [PARTNER_SHAPES[i % len(PARTNER_SHAPES)] for i in range(n)]
