"""Chart widgets computed by a gradflow view: the shared node, directive and HTML.

``gradient-flow``, ``path-lengths`` and ``training-race`` differ only in which gradflow
view they show and in a few options, so each of their modules is a subclass of
:class:`ViewDirective`. The HTML follows ARCHITECTURE §5 (``view``/``race`` widgets).
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

from .build_results import RACE, is_trainer, validate, view_definition
from .markup import b64_json, element, fallback_table, json_script, start_tag
from .setting_text import fill, fixed_numbers
from .static_figure import static_chart_html
from .view_options import control_list, option_name, setting_converters, setting_name
from .widget_base import WidgetDirective, WidgetError, convert_options, html_only, widget_start


class view_widget(nodes.General, nodes.Element):
    """Attributes: ``kind`` (view|race), ``view``, ``initial`` (dict), ``controls``
    (visible control specs), ``settings``, ``predict``, ``predict_choices``, ``caption``."""


def _choice_index(argument: str) -> int:
    """``:predict-answer:``: which choice is right at the directive's own settings (the
    progress page scores a guess made there; quiz answers count from 0 the same way)."""
    try:
        index = int(argument.strip())
    except ValueError:
        raise ValueError(f"give the index of the right choice (0 is the first), "
                         f"not {argument.strip()!r}") from None
    if index < 0:
        raise ValueError(f"the index of the right choice cannot be negative, got {index}")
    return index


def _pipe_list(argument: str) -> list[str]:
    items = [item.strip() for item in (argument or "").split("|")]
    if len(items) < 2 or not all(items):
        raise ValueError("give at least two choices separated by |")
    return items


class ViewDirective(WidgetDirective):
    """Base for the chart widgets; subclasses set ``view`` and ``directive_name``."""

    view = ""
    has_content = False
    #: options every chart widget takes besides the view's settings
    common_options: dict[str, Callable[[str], Any]] = {
        "name": directives.unchanged_required,
        "controls": directives.unchanged,
        "predict": directives.unchanged_required,
        "predict-choices": _pipe_list,
        "predict-answer": _choice_index,
        "caption": directives.unchanged_required,
    }

    @classmethod
    def converters(cls) -> dict[str, Callable[[str], Any]]:
        """Every option and its converter: the view's settings (parsed by gradflow's
        schema) and the options every chart widget takes."""
        if not cls.view:          # the base class itself shows no view
            return dict(cls.common_options)
        definition = view_definition(cls.view)
        return {
            **setting_converters(definition.controls),
            **cls.common_options,
            "controls": control_list(definition.controls),
        }

    @classmethod
    def parse(cls, arguments: Sequence[str], options: Mapping[str, str],
              content: Sequence[str]) -> dict[str, Any]:
        definition = view_definition(cls.view)
        values = convert_options(cls.converters(), options)
        settings = {
            setting_name(option): value
            for option, value in values.items()
            if option not in cls.common_options
        }
        try:
            settings = validate(cls.view, settings)
        except ValueError as error:
            raise WidgetError(str(error)) from None
        if ("predict" in values) != ("predict-choices" in values):
            raise WidgetError(":predict: and :predict-choices: must be given together")
        answer = values.get("predict-answer")
        if answer is not None and not answer < len(values.get("predict-choices", [])):
            raise WidgetError(f":predict-answer: {answer} is not the index of one of the "
                              f"{len(values.get('predict-choices', []))} :predict-choices: "
                              "(0 is the first)")
        shown = values.get("controls", [c["name"] for c in definition.controls])
        visible = [c for c in definition.controls if c["name"] in shown]
        _check_setting_texts(values, visible, settings)
        return {
            "settings": settings,
            "controls": _without_hidden_choices(visible, settings),
            "schema": definition.controls,
            "predict": values.get("predict", ""),
            "predict_choices": values.get("predict-choices", []),
            "predict_answer": answer,
            "caption": values.get("caption", ""),
        }

    def build(self) -> list[nodes.Node]:
        parsed = self.parsed()
        settings, controls = parsed["settings"], parsed["controls"]
        try:
            result = self.results.view_result(self.view, settings)
        except (ValueError, ArithmeticError) as error:
            raise WidgetError(f"gradflow could not compute this view: {error}") from None

        node = view_widget()
        self.set_source_info(node)
        self.register_name(node, self.widget_name())
        # every streamed trainer (the race, Nielsen's speeds, ...) uses the race widget
        node["kind"] = "race" if is_trainer(self.view) else "view"
        node["view"] = self.view
        node["settings"] = settings
        node["controls"] = controls
        node["predict"] = parsed["predict"]
        node["predict_choices"] = parsed["predict_choices"]
        node["predict_answer"] = parsed["predict_answer"]
        node["caption"] = parsed["caption"]
        # "schema" is every setting's spec (types, ranges, choices), so the page parses a
        # share link to a hidden setting with gradflow's rules instead of guessing
        node["initial"] = {**result, "view": self.view, "settings": settings,
                           "controls": controls, "schema": parsed["schema"]}
        return [node]


def _check_setting_texts(values: Mapping[str, Any], visible: list[dict[str, Any]],
                         settings: Mapping[str, Any]) -> None:
    """Words that follow the settings (setting_text.py): every ``{name}`` known, and no
    number written out that a visible control can change."""
    texts = [("predict", values.get("predict", "")), ("caption", values.get("caption", ""))]
    texts += [("predict-choices", choice) for choice in values.get("predict-choices", [])]
    for option, text in texts:
        try:
            fill(text, settings)
        except ValueError as error:
            raise WidgetError(f":{option}: {error}") from None
        problems = fixed_numbers(text, visible, settings)
        if problems:
            raise WidgetError(f":{option}: {problems[0]}")


def _template_attrs(template: str, settings: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The text for the settings the widget opens with, and ``data-lw-template`` when
    the page script must refill it after a change of settings."""
    text = fill(template, settings)
    return text, ({"data-lw-template": template} if text != template else {})


def _without_hidden_choices(controls: list[dict[str, Any]],
                            settings: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A choice that promises a control the widget does not show ("Normal (choose std)"
    without the std box) is relabelled with the fixed value it will use."""
    if any(c["name"] == "std" for c in controls):
        return controls
    relabelled = []
    for control in controls:
        if control["name"] == "init" and "std" in settings:
            control = {**control, "choices": [
                [value, f"Normal (std {settings['std']:g})" if value == "normal" else text]
                for value, text in control.get("choices", [])]}
        relabelled.append(control)
    return relabelled


def _control_html(widget_id: str, control: Mapping[str, Any], value: Any) -> str:
    name = control["name"]
    input_id = f"{widget_id}-{option_name(name)}"
    help_id = f"{input_id}-help" if control.get("help") else None
    common = {"id": input_id, "name": name, "disabled": True, "aria-describedby": help_id}
    label = element("label", {"for": input_id}, control.get("label", name))
    kind = control.get("kind")
    if kind == "select":
        options = "".join(
            element("option", {"value": choice, "selected": str(choice) == str(value)}, text)
            for choice, text in control.get("choices", [])
        )
        field = label + start_tag("select", common) + options + "</select>"
    elif kind == "checkbox":
        field = start_tag("input", {"type": "checkbox", **common, "checked": bool(value)}) + label
    elif kind in ("range", "number"):
        limits = {key: control.get(key) for key in ("min", "max", "step")}
        field = label + start_tag("input", {"type": kind, **common, **limits, "value": value})
        if kind == "range":
            field += element("output", {"for": input_id, "class": "lw-value-display"}, str(value))
    else:
        raise ValueError(f"unknown control kind {kind!r} for {name!r} (ARCHITECTURE §3)")
    help_text = element("p", {"class": "lw-help", "id": help_id}, control["help"]) if help_id else ""
    return start_tag("div", {"class": f"lw-control lw-control-{kind}"}) + field + help_text + "</div>"


def _predict_html(widget_id: str, prompt: str, choices: list[str],
                  settings: Mapping[str, Any], answer: int | None = None) -> str:
    radios = []
    for index, choice in enumerate(choices):
        text, template = _template_attrs(choice, settings)
        radios.append(
            start_tag("div", {"class": "lw-choice"})
            + start_tag("input", {"type": "radio", "name": f"{widget_id}-predict",
                                  "id": f"{widget_id}-predict-{index}", "value": index})
            + element("label", {"for": f"{widget_id}-predict-{index}", **template}, text)
            + "</div>")
    button = element("button", {"type": "button", "class": "lw-predict-show",
                                "data-lw-action": "show-result"}, "Show the result")
    prompt_text, template = _template_attrs(prompt, settings)
    # the right choice, for scoring a guess on the progress page, is encoded like the
    # quiz's answers: not readable beside the choices
    payload = b64_json({"answer": answer}) if answer is not None else None
    return (start_tag("fieldset", {"class": "lw-predict", "data-lw-payload": payload})
            + element("legend", template or None, prompt_text)
            + "".join(radios) + button + "</fieldset>")


def visit_view_widget_html(self: HTML5Translator, node: view_widget) -> None:
    from .picture_widgets import pictures_html, without_pictures  # it imports this module

    widget_id = node["ids"][0]
    initial = node["initial"]
    parts = [
        widget_start(node["kind"], node, {"data-lw-view": node["view"]}),
        json_script(without_pictures(initial)),
    ]
    if node["controls"]:
        # a form with a label is a landmark; screen readers list landmarks by name, so each
        # page's forms need distinct names (axe: landmark-unique)
        parts.append(start_tag("form", {"class": "lw-controls",
                                        "aria-label": f"Settings: {widget_id.replace('-', ' ')}"}))
        parts.extend(_control_html(widget_id, c, node["settings"].get(c["name"]))
                     for c in node["controls"])
        parts.append("</form>")
    if node["predict"]:
        parts.append(_predict_html(widget_id, node["predict"], node["predict_choices"],
                                   node["settings"], node.get("predict_answer")))
    parts += [
        element("p", {"class": "lw-status", "role": "status", "aria-live": "polite"}),
        element("p", {"class": "lw-readout", "aria-live": "polite"}, initial.get("readout", "")),
        element("div", {"class": "lw-chart", "role": "img",
                        "aria-label": initial.get("summary", "")}),
        # the same chart drawn at build time: without JavaScript, and on paper when the
        # live chart is empty (static_figure.py)
        static_chart_html(self, initial["figure"], initial.get("summary", "")),
        # pictures a trainer drew (gradflow.digit_features), as SVG: no JS needed
        pictures_html(initial),
    ]
    if node["caption"]:
        caption, template = _template_attrs(node["caption"], node["settings"])
        parts.append(element("p", {"class": "lw-caption", **template}, caption))
    parts += [
        start_tag("details", {"class": "lw-table", "open": True}),
        element("summary", None, "The numbers behind the chart"),
        element("p", {"class": "lw-summary"}, initial.get("summary", "")),
        fallback_table(initial["table"]),
        "</details></div>\n",
    ]
    self.body.append("".join(parts))
    raise nodes.SkipNode


def setup_view_widget(app: Sphinx) -> None:
    app.add_node(view_widget, **html_only(visit_view_widget_html))


class GradientFlowDirective(ViewDirective):
    """``{gradient-flow}``: gradflow's ``gradient`` view (ARCHITECTURE §4)."""
    directive_name = "gradient-flow"
    view = "gradient"


class PathLengthsDirective(ViewDirective):
    """``{path-lengths}``: gradflow's ``paths`` view."""
    directive_name = "path-lengths"
    view = "paths"


class TrainerDirective(ViewDirective):
    """Base for a widget that streams a gradflow trainer (``gradflow.views.TRAINERS``):
    set ``directive_name`` and ``view`` (the trainer's name). The page embeds the trainer
    trained to the end; in the browser it trains again with progress, Pause/Resume and
    Cancel (js/race-widget.mjs)."""

    def build(self) -> list[nodes.Node]:
        built = super().build()
        # what the status line says while it trains ("Training the three stacks…")
        built[0]["initial"]["running_text"] = view_definition(self.view).running_text
        return built


class TrainingRaceDirective(TrainerDirective):
    """``{training-race}``: gradflow's ``TrainingRace``, streamed in the browser."""
    directive_name = "training-race"
    view = RACE


class LayerSpeedsDirective(TrainerDirective):
    """``{layer-speeds}``: Nielsen's speed of learning of each hidden layer, on the digits
    (gradflow.nielsen), streamed in the browser."""
    directive_name = "layer-speeds"
    view = "nielsen"
