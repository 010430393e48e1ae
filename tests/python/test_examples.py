"""examples/python/: the short script and the notebook run as shipped (the notebook's code
cells in order, each last expression shown as Jupyter would show it)."""

import ast
import contextlib
import io
import json
import subprocess
import sys


def test_the_search_script_solves_its_task(repo, tmp_path):
    done = subprocess.run([sys.executable, str(repo / "examples" / "python" / "search_task.py")], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "exact  tile_mirrored(2x1)" in done.stdout and "\nright\n" in done.stdout
    assert "in one batch:" in done.stdout and " 0 exact" not in done.stdout


def run_notebook(path):
    namespace, shown, printed = {}, [], io.StringIO()
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        with contextlib.redirect_stdout(printed):
            exec(compile(tree, str(path), "exec"), namespace)
            if last is not None:
                shown.append(eval(compile(ast.Expression(last.value), str(path), "eval"), namespace))
    return shown, printed.getvalue()


def test_the_notebook_shows_the_task_the_search_and_the_answer(repo):
    shown, printed = run_notebook(repo / "examples" / "python" / "search_and_draw.ipynb")
    drawings = [s._repr_html_() for s in shown if hasattr(s, "_repr_html_")]
    assert len(drawings) == 3 and all("<table" in d for d in drawings)
    assert "tile_mirrored(2x1) is right" in printed
    assert "answer: tile_mirrored(2x1)" in drawings[1]
