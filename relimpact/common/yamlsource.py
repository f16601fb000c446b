"""Safe YAML loading that remembers where every value came from.

``load_yaml`` returns the plain data (dicts, lists, scalars) and a map from
each path (``("questions", 3, "scale")``) to its line in the file, so that
schema errors can point at ``survey.yaml:12``. Only YAML's standard tags are
accepted (tags that would run code are refused) and documents whose aliases
would expand past a fixed number of nodes are refused before they are built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from relimpact.common.errors import Problem, SurveyError

MAX_NODES = 100_000  # expanded nodes; an honest survey has a few thousand
MAX_BYTES = 5_000_000
MAX_DEPTH = 64  # lists and mappings inside one another; an honest survey has 6 or 7

Path_ = tuple[Any, ...]
# YAML (a superset of JSON) writes a character beyond U+FFFF as two escapes, a UTF-16
# surrogate pair ("\\ud83d\\ude00", as json.dumps writes an emoji); PyYAML reads each half
# as a character of its own, which no file, terminal or survey tool can take.
_SURROGATE_PAIR = re.compile(r"[\ud800-\udbff][\udc00-\udfff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def format_path(path: Path_) -> str:
    """``("questions", 3, "scale")`` -> ``questions[3].scale``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class YamlDocument:
    data: Any
    lines: dict[Path_, int]  # path -> 1-based line of the value (or of the key, see key_lines)
    key_lines: dict[Path_, int]  # path -> 1-based line of the mapping key that holds it
    name: str

    def line(self, path: Path_) -> int | None:
        """The line of the deepest known node on ``path``."""
        path = tuple(path)
        while path:
            if path in self.key_lines:
                return self.key_lines[path]
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)

    def where(self, path: Path_) -> str:
        line = self.line(path)
        return f"{self.name}:{line}" if line else self.name


def _read_text(path: Path) -> str:
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SurveyError(
            "file not found.",
            where=name,
            hint="Check the path, or create one with 'relimpact init'.",
        ) from None
    except IsADirectoryError:
        raise SurveyError(
            "is a folder, not a file.", where=name, hint="Give the path of its survey.yaml."
        ) from None
    except OSError as exc:
        raise SurveyError(f"cannot be read ({exc.strerror}).", where=name) from None
    if len(raw) > MAX_BYTES:
        raise SurveyError(
            f"is {len(raw):,} bytes; a survey template is far smaller.",
            where=name,
            hint="Check that this is the survey.yaml and not a data file.",
        )
    if b"\x00" in raw:
        raise SurveyError(
            "is a binary file, not YAML text.",
            where=name,
            hint="Give the survey.yaml written by hand or by 'relimpact init'.",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SurveyError(
            "is not UTF-8 text.",
            where=f"{name}:{line}",
            hint="Save the file as UTF-8 in your editor.",
        ) from None
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise SurveyError(
            "is empty.",
            where=name,
            hint="Start from a bundled template: relimpact init DIR --template network-health",
        )
    return text


def _expanded_size(root: yaml.Node) -> int:
    """Count nodes as if every alias were expanded, without expanding anything."""
    memo: dict[int, int] = {}
    order: list[yaml.Node] = []
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    on_stack: set[int] = set()
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            on_stack.discard(id(node))
            continue
        if id(node) in memo or id(node) in on_stack:
            continue
        on_stack.add(id(node))
        memo[id(node)] = 0
        stack.append((node, True))
        for child in _children(node):
            if id(child) not in memo:
                stack.append((child, False))
    for node in order:
        total = 1
        for child in _children(node):
            total += memo.get(id(child), 1)
            if total > MAX_NODES:
                return total
        memo[id(node)] = total
    return memo.get(id(root), 1)


def _too_deep_node(root: yaml.Node) -> yaml.Node | None:
    """The first node nested deeper than ``MAX_DEPTH``, found without recursion."""
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    seen: set[int] = set()
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return node
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.extend((child, depth + 1) for child in _children(node))
    return None


def _too_deep(name: str, line: int | None) -> SurveyError:
    return SurveyError(
        f"lists or mappings are nested more than {MAX_DEPTH} levels deep; a survey template "
        "needs six or seven.",
        where=f"{name}:{line}" if line else name,
        hint="Check for unclosed '[' or '{' brackets.",
    )


def _has_aliases(root: yaml.Node) -> bool:
    """Whether any node is reached twice: a ``*`` alias of an ``&`` anchor."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        stack.extend(_children(node))
    return False


def _too_many_values(name: str, root: yaml.Node) -> SurveyError:
    """More than ``MAX_NODES`` values: an alias bomb, or a survey far past any honest size
    (the message blames aliases only when the file has some)."""
    where = f"{name}:{root.start_mark.line + 1}"
    if _has_aliases(root):
        return SurveyError(
            f"YAML aliases expand to more than {MAX_NODES:,} values (an alias bomb?).",
            where=where,
            hint="Write the survey out without '*' aliases.",
        )
    return SurveyError(
        f"the survey holds more than {MAX_NODES:,} values (questions, options, labels and "
        "keys together); a survey template has a few thousand.",
        where=where,
        hint="Split it into smaller surveys, or give a long list (a roster, the options of "
        "a multi question) fewer entries.",
    )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _record_lines(
    node: yaml.Node,
    data: Any,
    path: Path_,
    lines: dict[Path_, int],
    key_lines: dict[Path_, int],
) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode) and isinstance(data, dict):
        for key_node, value_node in node.value:
            key = _scalar_key(key_node)
            if key is None:
                continue
            child = (*path, key)
            key_lines.setdefault(child, key_node.start_mark.line + 1)
            if key in data:
                _record_lines(value_node, data[key], child, lines, key_lines)
    elif isinstance(node, yaml.SequenceNode) and isinstance(data, list):
        for i, item_node in enumerate(node.value):
            if i < len(data):
                _record_lines(item_node, data[i], (*path, i), lines, key_lines)


def _refuse_duplicate_keys(root: yaml.Node, name: str) -> None:
    """A key given twice in one mapping is an error naming both lines: YAML loaders keep
    the last silently, so a second ``min_group_size:`` further down would quietly win."""
    problems: list[Problem] = []
    stack = [root]
    seen_nodes: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[Any, int] = {}
            for key_node, value_node in node.value:
                stack.append(value_node)
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                key = _scalar_key(key_node)
                try:
                    hash(key)
                except TypeError:
                    continue
                line = key_node.start_mark.line + 1
                if key in first:
                    problems.append(
                        Problem(
                            f"{name}:{line}",
                            f"the key '{key}' is given twice in one mapping ("
                            + (
                                f"both on line {line}"
                                if first[key] == line
                                else f"lines {first[key]} and {line}"
                            )
                            + "); only one of them could count.",
                            "Keep one of the two lines (or merge them).",
                        )
                    )
                else:
                    first[key] = line
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    if problems:
        problems.sort(key=lambda p: int(p.where.rsplit(":", 1)[1]))
        raise SurveyError(problems=problems)


def _joined_pairs(text: str) -> str:
    """``text`` with every surrogate pair decoded into the one character it stands for."""
    return _SURROGATE_PAIR.sub(
        lambda m: m.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le"), text
    )


def _escaped_surrogates(text: str) -> str:
    """``text`` with any lone surrogate written as its escape, so that it can be shown."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text))


def _join_surrogate_pairs(root: yaml.Node, name: str) -> None:
    """Decode surrogate-pair escapes (``"\\ud83d\\ude00"``) into their character in every
    string of the document, keys included, before it is built; refuse a lone surrogate.

    A pair stands for one character in YAML 1.2 (as in JSON), so it is taken as that
    character. Half of a pair is no character at all: every writer would fail on it, so
    the file is refused here, with the line and the field, rather than at ``build``."""
    problems: list[Problem] = []
    stack: list[tuple[yaml.Node, Path_]] = [(root, ())]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            problems += _decode_scalar(node, path, name, is_key=False)
        elif isinstance(node, yaml.MappingNode):
            for key_node, value_node in reversed(node.value):
                key: Any = None
                if isinstance(key_node, yaml.ScalarNode):
                    problems += _decode_scalar(key_node, (*path, key_node.value), name, is_key=True)
                    key = _scalar_key(key_node)
                else:
                    stack.append((key_node, path))
                stack.append((value_node, (*path, key)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*path, i)) for i, item in reversed(list(enumerate(node.value))))
    if problems:
        problems.sort(key=lambda p: int(p.where.rsplit(":", 1)[1]))
        raise SurveyError(problems=problems)


def _decode_scalar(node: yaml.ScalarNode, path: Path_, name: str, *, is_key: bool) -> list[Problem]:
    """Join the surrogate pairs of one scalar in place; a lone surrogate is a problem."""
    if not isinstance(node.value, str) or not _SURROGATE.search(node.value):
        return []
    node.value = _joined_pairs(node.value)
    lone = _SURROGATE.search(node.value)
    if lone is None:
        return []
    escape = _escaped_surrogates(lone.group())
    if is_key:
        parent = format_path(path[:-1])
        key = _escaped_surrogates(path[-1])
        what = f"{parent + ': ' if parent else ''}the key '{key}' holds '{escape}', which is"
    else:
        what = f"{_escaped_surrogates(format_path(path)) or 'the document'}: '{escape}' is"
    return [
        Problem(
            f"{name}:{node.start_mark.line + 1}",
            f"{what} half of a character (a lone UTF-16 surrogate escape); no file or survey "
            "tool can hold it.",
            'Write the character itself (😀), or as one escape "\\U0001F600", or as both '
            'halves of its pair "\\ud83d\\ude00", in double quotes.',
        )
    ]


def _scalar_key(node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return None
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node)
    finally:
        loader.dispose()


_SYNTAX_HINT = "Check the indentation and that text containing ': ' or '#' is quoted."
# A line of a survey.yaml that starts a key ("text:", "- id:"): one inside a quoted text
# means that the text swallowed the lines after it.
_KEY_LINE = re.compile(r"\n[ \t]*(?:- )?[A-Za-z_][\w-]*:(?:[ \t]|\n|$)")


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, name: str) -> SurveyError:
    """PyYAML's syntax error in plain words, at the line where the mistake is.

    PyYAML reports where it gave up, in parser words ("expected <block end>, but found
    '<scalar>'"): for a quote left open that is where the next quote closes it, often
    far below. The common mistakes (a quote left open, a Tab, an unquoted ': ', a line
    indented out of step) are told as such at the line that holds them; others keep
    PyYAML's words at the line it gives.
    """
    problem = exc.problem or exc.context or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    opened = _open_quote(exc, text)
    if opened is not None:
        quote, start, end = opened
        which = "double" if quote == '"' else "single"
        until = (
            "to the end of the file"
            if end is None
            else f"to the next {quote} on line {end + 1}, as one text"
        )
        return SurveyError(
            f"a {which} quote ({quote}) opens a text on this line and is not closed on it, "
            f"so everything after it was read {until}.",
            where=f"{name}:{start + 1}",
            hint=f"Add the closing {quote} at the end of the text on line {start + 1}.",
        )
    if mark is not None and "'\\t' that cannot start any token" in problem:
        return SurveyError(
            f"a Tab character (column {mark.column + 1}); YAML indents with spaces only.",
            where=f"{name}:{mark.line + 1}",
            hint="Replace the Tab with spaces (set your editor to insert spaces for Tab).",
        )
    stepped = _indent_problem(exc, text, name)
    if stepped is not None:
        return stepped
    if mark is not None and problem == "mapping values are not allowed here":
        return SurveyError(
            f"a ': ' (column {mark.column + 1}) inside a value that is not quoted.",
            where=f"{name}:{mark.line + 1}",
            hint='Put the whole value in double quotes ("..."), or if this line starts a key, '
            "indent it as the keys above it.",
        )
    block = exc.context_mark
    if (
        mark is not None
        and block is not None
        and exc.context == "while parsing a block mapping"
        and problem.startswith("expected <block end>")
    ):
        return SurveyError(
            "this line is not indented in step with the lines above it (the block that "
            f"starts on line {block.line + 1}).",
            where=f"{name}:{mark.line + 1}",
            hint="Indent keys of the same block by the same number of spaces, and quote "
            "text containing ': ' or '#'.",
        )
    return SurveyError(
        f"YAML syntax error: {problem}.",
        where=f"{name}:{mark.line + 1}" if mark else name,
        hint=_SYNTAX_HINT,
    )


# A line that starts a key: its indentation, an optional "- ", the key and its colon.
_KEY_START = re.compile(r"([ ]*)((?:- )?)[A-Za-z_][\w-]*:(?:[ \t]|$)")


def _key_column(line: str) -> int | None:
    """The column (0-based) where the key of a line like '    text: ...' or '  - id: x'
    starts, or None for a line that starts no key (a text's next line, a comment)."""
    m = _KEY_START.match(line)
    return None if m is None else len(m.group(1)) + len(m.group(2))


def _keys_above(lines: list[str], at: int, column: int) -> tuple[int, int] | None:
    """The keys the line ``at``, whose key starts at ``column``, was likely meant to line
    up with: (their column, the nearest line holding one), 0-based. Over-indented (deeper
    than the key line just above), the keys of that line; dedented, the outermost keys
    deeper than it in the block above, back to the line that opened that block."""
    above = [(i, _key_column(lines[i])) for i in range(at - 1, -1, -1)]
    keys = [(i, c) for i, c in above if c is not None]
    if not keys:
        return None
    if keys[0][1] < column:
        return keys[0][1], keys[0][0]
    best = None
    for i, c in keys:
        if c <= column:
            break
        if best is None or c < best[0]:
            best = (c, i)
        if len(lines[i]) - len(lines[i].lstrip(" ")) < column:  # '  - id:' opened the block
            break
    return best


def _indent_problem(exc: yaml.MarkedYAMLError, text: str, name: str) -> SurveyError | None:
    """A key indented one step out of line, told as such: too little, and PyYAML says
    "expected <block end>, but found '<block mapping start>'" inside a list of questions;
    too far, and it reads the key as the value above going on, then finds its ': '
    ("mapping values are not allowed here", which would otherwise be told as an unquoted
    ': ' in a value, with the wrong advice to quote it). None for any other error."""
    mark = exc.problem_mark
    if mark is None:
        return None
    lines = text.split("\n")
    line = lines[mark.line] if mark.line < len(lines) else ""
    column = _key_column(line)
    if column is None:
        return None
    if exc.problem == "mapping values are not allowed here":
        if line[: mark.column].strip(" -").strip() != line[column : mark.column].strip():
            return None  # the ': ' is not the one after the line's first key
    elif not (
        exc.context == "while parsing a block collection"
        and (exc.problem or "").startswith("expected <block end>")
    ):
        return None
    keys = _keys_above(lines, mark.line, column)
    if keys is None or keys[0] == column:
        return None
    want, at = keys
    where = "at the start of the line" if want == 0 else f"after {want} spaces"
    return SurveyError(
        f"this key starts after {column} spaces, and the keys above it {where} (line "
        f"{at + 1}): it is out of step with its block.",
        where=f"{name}:{mark.line + 1}",
        hint=f"Start the key {where}, as on line {at + 1}: keys of one block line up.",
    )


def _open_quote(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, int, int | None] | None:
    """A quote left open, as (quote, line it opens on, line its closing quote is on or None
    at the end of the file), 0-based; None when the error is something else.

    Found from the error itself (a quoted scalar still open at the end of the file, whose
    context mark is its opening quote) or else from the last quoted text before the error
    that runs over several lines and holds a line that starts a key ("- id:"): a text
    that swallowed the keys after it.
    """
    if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
        at = exc.context_mark
        return text[at.index] if at.index < len(text) else '"', at.line, None
    if exc.problem_mark is None:
        return None
    found = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= exc.problem_mark.index:
                break
            style = getattr(token, "style", None)
            if (
                isinstance(token, yaml.ScalarToken)
                and style in ('"', "'")
                and token.end_mark.line > token.start_mark.line
                and _KEY_LINE.search(text[token.start_mark.index : token.end_mark.index])
            ):
                found = (style, token.start_mark.line, token.end_mark.line)
    except yaml.YAMLError:
        pass
    return found


def load_yaml(path: Path) -> YamlDocument:
    """Load one YAML document safely, with line numbers. Raises ``SurveyError``."""
    name = str(path)
    text = _read_text(path)
    loader = yaml.SafeLoader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            raise _syntax_error(exc, text, name) from None
        except yaml.YAMLError as exc:
            raise SurveyError(f"YAML syntax error: {exc}.", where=name) from None
        except RecursionError:
            raise _too_deep(name, None) from None
        if root is None:
            raise SurveyError("is empty.", where=name)
        deep = _too_deep_node(root)
        if deep is not None:
            raise _too_deep(name, deep.start_mark.line + 1)
        if _expanded_size(root) > MAX_NODES:
            raise _too_many_values(name, root)
        _join_surrogate_pairs(root, name)
        _refuse_duplicate_keys(root, name)
        try:
            data = loader.construct_document(root)
        except yaml.constructor.ConstructorError as exc:
            mark = exc.problem_mark
            line = f":{mark.line + 1}" if mark else ""
            raise SurveyError(
                f"YAML tag not allowed: {exc.problem}.",
                where=f"{name}{line}",
                hint="survey.yaml takes plain values only; remove the '!' tag.",
            ) from None
        except yaml.YAMLError as exc:
            raise SurveyError(f"YAML error: {exc}.", where=name) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        kind = type(data).__name__
        kind = {"list": "a list", "str": "a single text", "int": "a number"}.get(kind, kind)
        raise SurveyError(
            f"the top level is {kind}; a survey template is a mapping of keys "
            "(relimpact, id, title, questions, ...).",
            where=f"{name}:{root.start_mark.line + 1}",
            hint="Start from a bundled template: relimpact init DIR --template network-health",
        )
    lines: dict[Path_, int] = {}
    key_lines: dict[Path_, int] = {}
    _record_lines(root, data, (), lines, key_lines)
    return YamlDocument(data=data, lines=lines, key_lines=key_lines, name=name)
