'use strict';
// Parses PowerShell sources with tree-sitter-powershell (its .wasm, through web-tree-sitter) and prints, per source,
// what a binder needs and nothing more: the ERROR/MISSING nodes, every command invocation with its arguments in
// order, and every assignment that can feed a splat. Input: file paths as arguments, or, with --stdin, a JSON array
// of {"name": ..., "text": ...} on standard input. Output: one JSON document on standard output.
const fs = require('fs');
const path = require('path');
const { Parser, Language } = require('web-tree-sitter');

// Single-child expression wrappers the grammar stacks around every value; skipped to reach the real node.
const WRAPPERS = new Set([
  'pipeline', 'pipeline_chain', 'logical_expression', 'bitwise_expression', 'comparison_expression',
  'additive_expression', 'multiplicative_expression', 'format_expression', 'range_expression',
  'array_literal_expression', 'unary_expression', 'argument_expression', 'logical_argument_expression',
  'bitwise_argument_expression', 'comparison_argument_expression', 'additive_argument_expression',
  'multiplicative_argument_expression', 'format_argument_expression', 'range_argument_expression',
  'left_assignment_expression',
]);

function unwrap(node) {
  let n = node;
  while (n && WRAPPERS.has(n.type) && n.namedChildCount === 1) {
    n = n.namedChild(0);
  }
  return n;
}

function position(node) {
  return { line: node.startPosition.row + 1, column: node.startPosition.column + 1 };
}

/** The string a literal stands for, or null when the value is computed (variables, sub-expressions, ...). */
function literalValue(node) {
  const n = unwrap(node);
  if (!n) {
    return null;
  }
  switch (n.type) {
    case 'generic_token':
    case 'simple_name':
      return n.text;
    case 'integer_literal':
    case 'real_literal':
      return n.text;
    case 'variable':
      return /^\$(true|false|null)$/i.test(n.text) ? n.text.toLowerCase() : null;
    case 'string_literal': {
      const inner = n.namedChild(0);
      if (!inner) {
        return null;
      }
      if (inner.type === 'verbatim_string_characters') {
        return inner.text.slice(1, -1).replace(/''/g, "'");
      }
      if (inner.type === 'expandable_string_literal' && inner.namedChildCount === 0 && !/[`$]/.test(inner.text)) {
        return inner.text.slice(1, -1);
      }
      return null;
    }
    default:
      return null;
  }
}

function commandOf(node) {
  const nameNode = node.children.find((c) => c.type === 'command_name');
  const invocationOperator = node.children.some((c) => c.type === 'command_invokation_operator');
  const name = nameNode ? nameNode.text : (node.children.find((c) => c.type === 'command_name_expr') || node).text;
  const elements = node.children.find((c) => c.type === 'command_elements');
  const args = [];
  if (elements) {
    const kids = elements.children;
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i];
      if (k.type === 'command_argument_sep' || k.type === 'comment') {
        continue;
      }
      if (k.type === 'command_parameter') {
        const colon = i + 1 < kids.length && kids[i + 1].type === 'command_argument_sep' && kids[i + 1].text.includes(':');
        const arg = { kind: 'parameter', text: k.text, name: k.text.replace(/^-/, '').replace(/:$/, ''), colon, ...position(k) };
        if (colon && i + 2 < kids.length) {
          const v = kids[i + 2];
          arg.value = { text: v.text, nodeType: unwrap(v).type, literal: literalValue(v) };
          i += 2;
        }
        args.push(arg);
        continue;
      }
      const inner = unwrap(k);
      if (inner && inner.type === 'variable' && inner.text.startsWith('@')) {
        args.push({ kind: 'splat', name: inner.text.slice(1).toLowerCase(), text: inner.text, ...position(k) });
        continue;
      }
      args.push({ kind: 'value', text: k.text, nodeType: inner ? inner.type : k.type, literal: literalValue(k), ...position(k) });
    }
  }
  const chain = node.parent;
  let first = true;
  for (let s = node.previousSibling; s; s = s.previousSibling) {
    if (s.isNamed && s.type !== 'comment') {
      first = false;
      break;
    }
  }
  return {
    name, invocationOperator, firstInPipeline: first, pipelineParent: chain ? chain.type : null,
    text: node.text.length > 200 ? node.text.slice(0, 200) + '...' : node.text, ...position(node), args,
  };
}

/** Assignments whose target is a variable (or a key of one): what a splat of that variable may hold. */
function assignmentOf(node) {
  const left = unwrap(node.children.find((c) => c.type === 'left_assignment_expression') || node.namedChild(0));
  const op = (node.children.find((c) => c.type === 'assignement_operator') || { text: '=' }).text;
  const right = node.namedChildren[node.namedChildCount - 1];
  if (!left) {
    return null;
  }
  const at = position(node);
  if (left.type === 'variable') {
    const variable = left.text.replace(/^\$/, '').toLowerCase();
    const value = unwrap(right);
    if (op === '=' && value && value.type === 'hash_literal_expression') {
      const keys = [];
      let literalKeys = true;
      for (const entry of value.descendantsOfType('hash_entry')) {
        if (!entry.parent || !entry.parent.parent || entry.parent.parent.id !== value.id) {
          continue; // an entry of a nested hashtable
        }
        const keyNode = entry.children.find((c) => c.type === 'key_expression');
        const key = keyNode ? literalValue(keyNode.namedChild(0)) : null;
        if (key === null) {
          literalKeys = false;
        } else {
          keys.push(key);
        }
      }
      return { variable, kind: 'literal', keys, literalKeys, ...at };
    }
    return { variable, kind: 'other', operator: op, ...at };
  }
  if (left.type === 'member_access') {
    const target = unwrap(left.namedChild(0));
    const member = left.children.find((c) => c.type === 'member_name');
    if (target && target.type === 'variable') {
      const key = member ? literalValue(member.namedChild(0) || member) : null;
      return { variable: target.text.replace(/^\$/, '').toLowerCase(), kind: 'member', key, ...at };
    }
  }
  if (left.type === 'element_access') {
    const target = unwrap(left.namedChild(0));
    if (target && target.type === 'variable') {
      const key = left.namedChildCount === 2 ? literalValue(left.namedChild(1)) : null;
      return { variable: target.text.replace(/^\$/, '').toLowerCase(), kind: 'index', key, ...at };
    }
  }
  return null;
}

/** Method calls on a variable ($p.Add(...), $p.Remove(...)): they change a hashtable out of the binder's sight. */
function methodCallOf(node) {
  const target = unwrap(node.namedChild(0));
  if (target && target.type === 'variable' && node.children.some((c) => c.type === 'argument_list')) {
    return { variable: target.text.replace(/^\$/, '').toLowerCase(), kind: 'method', key: null, ...position(node) };
  }
  return null;
}

function analyse(parser, name, text) {
  const tree = parser.parse(text);
  const errors = [];
  const commands = [];
  const assignments = [];
  const functions = [];
  const stack = [tree.rootNode];
  while (stack.length) {
    const n = stack.pop();
    if (n.isError || n.isMissing) {
      errors.push({ kind: n.isMissing ? 'MISSING' : 'ERROR', type: n.type, text: n.text.slice(0, 80), ...position(n) });
    }
    if (n.type === 'function_statement') {
      const fn = n.children.find((c) => c.type === 'function_name');
      if (fn) {
        functions.push(fn.text);
      }
    }
    if (n.type === 'command') {
      commands.push(commandOf(n));
    } else if (n.type === 'assignment_expression') {
      const a = assignmentOf(n);
      if (a) {
        assignments.push(a);
      }
    } else if (n.type === 'invokation_expression') {
      const m = methodCallOf(n);
      if (m) {
        assignments.push(m);
      }
    }
    for (let i = n.childCount - 1; i >= 0; i--) {
      stack.push(n.child(i));
    }
  }
  tree.delete();
  const byPosition = (a, b) => a.line - b.line || a.column - b.column;
  return { name, errors: errors.sort(byPosition), commands: commands.sort(byPosition), assignments: assignments.sort(byPosition), functions };
}

async function main() {
  const argv = process.argv.slice(2);
  let sources;
  if (argv[0] === '--stdin') {
    sources = JSON.parse(fs.readFileSync(0, 'utf8'));
  } else {
    sources = argv.map((f) => ({ name: f, text: fs.readFileSync(f, 'utf8') }));
  }
  await Parser.init();
  const wasm = path.join(path.dirname(require.resolve('tree-sitter-powershell/package.json')), 'tree-sitter-powershell.wasm');
  const language = await Language.load(wasm);
  const parser = new Parser();
  parser.setLanguage(language);
  const result = { grammar: 'tree-sitter-powershell', sources: sources.map((s) => analyse(parser, s.name, s.text)) };
  process.stdout.write(JSON.stringify(result));
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack || e) + '\n');
  process.exit(2);
});
