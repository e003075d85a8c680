/**
 * CodeMirror 6 with YAML mode; its lint source is the server's own validator (POST
 * /api/v1/sops/validate, debounced), so the marks at line:column are exactly what `alur validate`
 * says. Tab is left to move focus (no indentWithTab), so the editor does not trap the keyboard.
 */
import { yaml } from '@codemirror/lang-yaml';
import { linter, lintGutter, type Diagnostic as EditorDiagnostic } from '@codemirror/lint';
import { basicSetup, EditorView } from 'codemirror';
import { useEffect, useRef } from 'react';
import type { Diagnostic } from '../api/client';

export interface YamlEditorHandle {
  goTo(line: number, column: number): void;
}

function offsetOf(view: EditorView, line: number, column: number): number {
  const doc = view.state.doc;
  const target = doc.line(Math.min(Math.max(line, 1), doc.lines));
  return Math.min(target.from + Math.max(column - 1, 0), target.to);
}

export function toEditorDiagnostic(view: EditorView, d: Diagnostic): EditorDiagnostic {
  const from = offsetOf(view, d.line, d.column);
  const lineEnd = view.state.doc.lineAt(from).to;
  return { from, to: Math.max(from, lineEnd), severity: d.severity === 'info' ? 'info' : d.severity, message: `${d.message} [${d.code}]`, source: 'alur' };
}

export function YamlEditor({ initial, label, check, onChange, handle }: {
  initial: string;
  label: string;
  /** The server's diagnostics for this text. */
  check(source: string): Promise<Diagnostic[]>;
  onChange(source: string): void;
  handle: { current: YamlEditorHandle | null };
}) {
  const host = useRef<HTMLDivElement>(null);
  const latest = useRef({ check, onChange });
  latest.current = { check, onChange };
  useEffect(() => {
    const view = new EditorView({
      doc: initial,
      parent: host.current!,
      extensions: [
        basicSetup,
        yaml(),
        lintGutter(),
        linter(async (v) => (await latest.current.check(v.state.doc.toString())).map((d) => toEditorDiagnostic(v, d)), { delay: 500 }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) latest.current.onChange(update.state.doc.toString());
        }),
        EditorView.contentAttributes.of({ 'aria-label': label, 'data-testid': 'yaml-editor' }),
      ],
    });
    // The scroller itself takes focus too, so keyboard users can scroll a long file (WCAG 2.1.1).
    view.scrollDOM.tabIndex = 0;
    view.scrollDOM.setAttribute('aria-label', label);
    handle.current = {
      goTo(line, column) {
        const anchor = offsetOf(view, line, column);
        view.dispatch({ selection: { anchor }, scrollIntoView: true });
        view.focus();
      },
    };
    return () => {
      handle.current = null;
      view.destroy();
    };
    // The editor is made once per page; its text is its own state from then on.
  }, []);
  return <div className="editor-wrap" ref={host} />;
}
