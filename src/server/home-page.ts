/** `/` when the web UI has not been built (dist/ui missing): how to build it, and where the API is. */
export function homePage(version: string): string {
  return `<!doctype html>
<html lang="id">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Alur</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1b2733}code{background:#eef2f5;padding:0 .25rem}</style></head>
<body>
<h1>Alur ${version}</h1>
<p>Antarmuka web belum dibangun: jalankan <code>npm run build:ui</code> (atau <code>npm start</code>, yang membangunnya).
<span lang="en">(The web UI is not built yet: run <code>npm run build:ui</code>, or <code>npm start</code>, which builds it.)</span></p>
<ul>
<li>API: <a href="/api/v1/openapi.json"><code>/api/v1/openapi.json</code></a> (OpenAPI 3.1)</li>
<li>Kesehatan / health: <a href="/healthz"><code>/healthz</code></a>, <a href="/readyz"><code>/readyz</code></a></li>
</ul>
</body>
</html>
`;
}
