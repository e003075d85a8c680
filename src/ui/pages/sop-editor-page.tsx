/**
 * The process owner's SOP editor: the YAML in CodeMirror with the server's diagnostics inline and
 * listed (each a button to jump there), a live flowchart and time simulation of the last valid
 * text, and Publish (a new revision; refused with the diagnostics when invalid).
 */
import { useCallback, useRef, useState } from 'react';
import { api, ApiError, type Diagnostic } from '../api/client';
import { useSession } from '../api/session';
import type { SopDefinition, SopRevision } from '../api/types';
import { useFetch } from '../api/use-fetch';
import { ErrorNote } from '../components/error-note';
import { SimulationTable } from '../components/simulation-table';
import { Swimlane } from '../components/swimlane';
import { YamlEditor, type YamlEditorHandle } from '../components/yaml-editor';
import { useI18n, type MessageKey } from '../i18n/i18n';

const NEW_SOP = `# yaml-language-server: $schema=./sop.schema.json
id: sop-baru
version: 1
identity:
  government: Pemerintah Kota …
  organization: Dinas …
  number: "…"
  title: SOP baru
  created: 2026
  approvedBy: { position: Kepala Dinas, name: "…" }
  legalBasis: ["…"]
roles:
  petugas: { title: Petugas }
steps:
  - id: langkah-pertama
    activity: …
    role: petugas
    time: 10 menit
  - id: selesai
    kind: end
    activity: Selesai
`;

interface Validation {
  valid: boolean;
  diagnostics: Diagnostic[];
  definition?: SopDefinition;
}

export function SopEditorPage({ sopId }: { sopId: string | null }) {
  const { t } = useI18n();
  const sop = useFetch<{ latest: SopRevision & { source: string } }>(sopId ? `/sops/${sopId}` : null);
  if (sopId && !sop.data) return sop.error ? <ErrorNote error={sop.error} /> : <p>{t('common.loading')}</p>;
  return <Editor initial={sop.data?.latest.source ?? NEW_SOP} file={sop.data?.latest.file ?? 'sops/sop-baru.yaml'} />;
}

function Editor({ initial, file }: { initial: string; file: string }) {
  const { t } = useI18n();
  const { hasRole } = useSession();
  const source = useRef(initial);
  const editor = useRef<YamlEditorHandle | null>(null);
  const [validation, setValidation] = useState<Validation | null>(null);
  const [preview, setPreview] = useState<SopDefinition | null>(null);
  const [checking, setChecking] = useState(false);
  const [published, setPublished] = useState<string | null>(null);
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  const check = useCallback(async (text: string): Promise<Diagnostic[]> => {
    setChecking(true);
    try {
      const result = await api<Validation>('POST', '/sops/validate', { source: text, file });
      setValidation(result);
      if (result.definition) setPreview(result.definition);
      return result.diagnostics;
    } catch (e) {
      // A file over a limit is answered 413 with the diagnostic that names the limit.
      if (e instanceof ApiError && e.problem.diagnostics) {
        setValidation({ valid: false, diagnostics: e.problem.diagnostics });
        return e.problem.diagnostics;
      }
      setError(e as Error);
      return [];
    } finally {
      setChecking(false);
    }
  }, [file]);

  const publish = async () => {
    setBusy(true);
    setPublished(null);
    setError(undefined);
    try {
      const result = await api<{ created: boolean; version: SopRevision }>('POST', '/sops', { source: source.current, file });
      setPublished(t(result.created ? 'editor.published' : 'editor.unchanged', { n: result.version.revision }));
    } catch (e) {
      if (e instanceof ApiError && e.problem.diagnostics) setValidation({ valid: false, diagnostics: e.problem.diagnostics });
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const errors = validation?.diagnostics.filter((d) => d.severity === 'error') ?? [];
  return (
    <>
      <h1>{t('editor.title')} <code className="small">{file.split('/').pop()}</code></h1>
      <div className="grid-2">
        <section className="card" aria-labelledby="source-heading">
          <h2 id="source-heading">{t('editor.source')}</h2>
          <YamlEditor initial={initial} label={t('editor.source')} check={check} onChange={(text) => { source.current = text; setPublished(null); }} handle={editor} />
          <p>
            <button type="button" disabled={busy || !hasRole('process-owner')} onClick={() => void publish()}>{t('editor.publish')}</button>
          </p>
          {published && <p className="success" role="status" data-testid="published">{published}</p>}
          {error instanceof ApiError && error.problem.diagnostics ? <p className="error" role="alert">{t('editor.refused')}</p> : <ErrorNote error={error} />}
        </section>
        <section className="card" aria-labelledby="diagnostics-heading">
          <h2 id="diagnostics-heading">{t('editor.diagnostics')}</h2>
          <p role="status" aria-live="polite" data-testid="validity">
            {checking ? t('editor.checking') : validation === null ? '' : validation.valid ? t('editor.valid') : t('editor.errors', { n: errors.length })}
          </p>
          <ul className="diagnostics" data-testid="diagnostics">
            {(validation?.diagnostics ?? []).map((d, i) => (
              <li key={i} className={d.severity === 'error' ? 'field-error' : undefined}>
                <button type="button" className="secondary" onClick={() => editor.current?.goTo(d.line, d.column)}>{t('editor.at', { line: d.line, column: d.column })}</button>{' '}
                {t(`editor.severity.${d.severity}` as MessageKey)}: {d.message} <code>[{d.code}]</code>
              </li>
            ))}
          </ul>
        </section>
      </div>
      {preview && (
        <>
          <section className="card" aria-labelledby="preview-heading">
            <h2 id="preview-heading">{t('editor.preview')}</h2>
            <Swimlane definition={preview} />
          </section>
          <section className="card" aria-labelledby="simulation-heading">
            <h2 id="simulation-heading">{t('editor.simulation')}</h2>
            <SimulationTable definition={preview} />
          </section>
        </>
      )}
    </>
  );
}
