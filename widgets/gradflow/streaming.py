"""Streamed trainers: experiments that train for a while and show their state as they go.

A widget that trains (the training race, Nielsen's layer speeds, the digits network) is a
subclass of :class:`StreamedTrainer` registered in ``gradflow.views.TRAINERS`` under its
name. The same object runs at build time (CPython, trained to the end for the page's first
chart) and in the browser (Pyodide), where the worker calls :meth:`advance` once per chunk
of steps and draws each returned state, so the reader sees progress and can pause, resume
or stop between chunks (widgets/ARCHITECTURE.md §3).

The contract, which the race widget's JavaScript relies on:

- ``controls`` (control specs, gradflow.controls) and ``defaults`` on the class;
- ``validate(settings)`` (class method) fills defaults and raises ValueError naming the
  setting; ``__init__(settings)`` validates;
- ``advance(n_steps)`` trains at most ``n_steps`` more steps and returns the state: the
  view keys ``figure``, ``readout``, ``summary``, ``table`` plus ``step``, ``steps`` (the
  total) and ``done``;
- ``running_text`` says what the status line shows while it trains.
"""

from __future__ import annotations

from .controls import validate_controls


class StreamedTrainer:
    """Base class; subclasses set ``name``, ``controls``, ``defaults`` and implement
    ``advance``."""

    #: key in views.TRAINERS and the directive's view name
    name = ""
    controls: list[dict] = []
    defaults: dict = {}
    #: the status line while training ("Training the three networks…")
    running_text = "Training…"

    @classmethod
    def validate(cls, settings: dict | None) -> dict:
        """Settings with defaults filled in; ValueError names the bad setting."""
        return validate_controls(cls.controls, cls.defaults, dict(settings or {}),
                                 f"the {cls.name} widget")

    def __init__(self, settings: dict | None = None):
        self.settings = self.validate(settings)

    def advance(self, n_steps: int) -> dict:
        raise NotImplementedError(f"{type(self).__name__} must define advance(n_steps)")

    def run_to_end(self, chunk: int = 10_000) -> dict:
        """Advance until done and return the final state (what the build embeds)."""
        state = self.advance(chunk)
        while not state["done"]:
            state = self.advance(chunk)
        return state
