"""The live-code directive: DOM contract, build-time execution and its failures."""

from __future__ import annotations

import hashlib

import pytest

from conftest import initial_json, widget

PAGE = '''
# Cells

```{live-code}
:name: uses-setup
print(greeting)
total = 6 * 7
total
```

```{live-code}
:name: second
import sys
print("to stderr", file=sys.stderr)
total + 1
```

```{live-code}
:name: escaped
text = "</script><b>bold</b>"
text
```

```{live-code}
:name: expected-error
:raises: ZeroDivisionError
def divide(a):
    return a / 0
divide(1)
```

```{live-code}
:hidden:
greeting = "hello from set-up"
```

```{live-code}
:name: drawing
show({"data": [{"type": "scatter", "x": [1, 2], "y": [3.0, float("nan")]}], "layout": {}})
```
'''


@pytest.fixture(scope="module")
def page(module_book):
    return module_book({"index": PAGE}).html()


def test_cell_widget_carries_code_hash_and_build_time_outputs(page):
    cell = widget(page, "uses-setup")
    assert 'data-lw-kind="cell"' in cell and 'data-lw-state="static"' in cell
    data = initial_json(cell)
    code = 'print(greeting)\ntotal = 6 * 7\ntotal'
    assert data["code"] == code
    assert data["hash"] == hashlib.sha256(code.encode()).hexdigest()[:16]
    assert data["outputs"] == {"stdout": "hello from set-up\n", "stderr": "", "value": "42",
                               "error": None, "figures": []}
    # visible without JavaScript
    assert '<pre class="lw-stdout">hello from set-up\n</pre>' in cell
    assert '<pre class="lw-value">42</pre>' in cell
    assert '<pre class="lw-error" hidden></pre>' in cell
    assert '<pre class="lw-source"><code class="language-python">print(greeting)' in cell


def test_hidden_setup_cell_runs_first_and_is_hidden(page):
    setup = page[page.index('data-lw-kind="setup"') - 200:]
    setup = setup[setup.index("<div"):]
    assert setup.split(">", 1)[0].endswith("hidden")
    assert 'data-lw-index="4"' in setup.split(">", 1)[0]
    assert "lw-source" not in setup.split("</div>", 1)[0]


def test_cells_share_one_namespace_in_order(page):
    data = initial_json(widget(page, "second"))
    assert data["outputs"]["value"] == "43"
    assert data["outputs"]["stderr"] == "to stderr\n"
    indexes = [widget(page, name) for name in ("uses-setup", "second", "escaped")]
    assert ['data-lw-index="0"' in indexes[0], 'data-lw-index="1"' in indexes[1],
            'data-lw-index="2"' in indexes[2]] == [True, True, True]


def test_code_and_output_are_escaped(page):
    cell = widget(page, "escaped")
    assert "<b>bold</b>" not in cell
    assert "&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in cell
    assert initial_json(cell)["outputs"]["value"] == "'</script><b>bold</b>'"


def test_expected_error_is_embedded_as_trimmed_traceback(page):
    error = initial_json(widget(page, "expected-error"))["outputs"]["error"]
    assert error.startswith("Traceback (most recent call last):")
    # named like the browser names it: <cell ELEMENT-ID>
    assert 'File "<cell expected-error>", line 3, in <module>' in error
    assert 'File "<cell expected-error>", line 2, in divide' in error
    assert error.rstrip().endswith("ZeroDivisionError: division by zero")
    assert "page_execution" not in error and "cell_runner" not in error


def test_show_collects_figures_as_plain_json(page):
    cell = widget(page, "drawing")
    figures = initial_json(cell)["outputs"]["figures"]
    assert figures == [{"data": [{"type": "scatter", "x": [1, 2], "y": [3.0, "NaN"]}],
                        "layout": {}}]
    assert '<div class="lw-figure"></div>' in cell


def test_unexpected_exception_fails_with_file_line_and_traceback(build_with_problems):
    built = build_with_problems({"index": """
        # Broken

        Text.

        ```{live-code}
        x = 1
        undefined_name + x
        ```
        """})
    assert built.statuscode != 0
    # the line of the failing code in the file: the directive is at line 6, code from 7
    assert "index.md:8: ERROR: live-code: the cell raised NameError at build time" in built.warnings
    assert "NameError: name 'undefined_name' is not defined" in built.warnings
    assert 'File "<cell live-code-1>", line 2' in built.warnings


def test_syntax_error_names_its_line(build_with_problems):
    built = build_with_problems({"index": """
        # Page

        ```{live-code}
        :name: typo
        x = 1
        print(x
        ```
        """})
    assert "index.md:7: ERROR: live-code: the cell raised SyntaxError at build time" in built.warnings
    assert "SyntaxError" in built.warnings


def test_raises_option_must_match(build_with_problems):
    built = build_with_problems({"index": """
        # Page

        ```{live-code}
        :raises: ValueError
        print("fine")
        ```

        ```{live-code}
        :raises: KeyError
        1 / 0
        ```
        """})
    assert built.statuscode != 0
    assert "index.md:4: ERROR: live-code: the cell should raise ValueError" in built.warnings
    assert "index.md:11: ERROR: live-code: the cell raised ZeroDivisionError (expected KeyError) at build time" in built.warnings


@pytest.mark.parametrize("options, message", [
    (":raises: not an exception", ":raises: expected an exception name"),
    (":name: Bad_Name", ':name: "Bad_Name" must start with a lower-case letter'),
    (":hidden: yes", ":hidden:"),
])
def test_bad_cell_options_fail_with_file_and_line(build_with_problems, options, message):
    built = build_with_problems({"index": f"""
        # Page

        ```{{live-code}}
        {options}
        print(1)
        ```
        """})
    assert built.statuscode != 0
    assert f"index.md:4: ERROR: live-code: {message}" in built.warnings
