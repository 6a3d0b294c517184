"""Lay out a service's process steps as a vertical flowchart, drawn as inline SVG by the item page."""
from dataclasses import dataclass

BOX_WIDTH, BOX_HEIGHT, GAP, MARGIN = 300, 56, 34, 10


@dataclass(frozen=True)
class Box:
    number: int
    name: str
    actor: str
    x: int
    y: int
    width: int = BOX_WIDTH
    height: int = BOX_HEIGHT

    @property
    def center_x(self):
        return self.x + self.width // 2

    @property
    def text_y(self):
        return self.y + 24

    @property
    def actor_y(self):
        return self.y + 44

    @property
    def arrow(self):
        """The arrow from this box to the next: (x, y1, y2)."""
        return self.center_x, self.y + self.height, self.y + self.height + GAP - 6


def flowchart_layout(steps) -> dict:
    boxes = [Box(i, step.name, step.actor, MARGIN, MARGIN + (i - 1) * (BOX_HEIGHT + GAP))
             for i, step in enumerate(steps, start=1)]
    height = MARGIN * 2 + len(boxes) * BOX_HEIGHT + max(len(boxes) - 1, 0) * GAP
    return {"boxes": boxes, "width": BOX_WIDTH + MARGIN * 2, "height": height}
