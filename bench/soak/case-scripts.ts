/**
 * What the crash loop does with each case: the happy path of one seed SOP, step by step, each
 * command given by the demo account that holds the step's role (two petugas for the handovers).
 */
export interface ScriptStep {
  user: string;
  body: Record<string, unknown>;
}

export interface CaseScript {
  sopId: string;
  starter: string;
  steps: ScriptStep[];
}

const KIT = ['IP', 'Internet', 'Komputer', 'DII'];

export function pontianakScript(n: number): CaseScript {
  const kadis = 'pontianak.kadis';
  const kasi = 'pontianak.kasi-sptik';
  return {
    sopId: 'pontianak-relay-tayangan', starter: kadis,
    steps: [
      { user: kadis, body: { type: 'start-step', step: 'surat-permintaan-relay' } },
      { user: kadis, body: { type: 'complete', step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: `555/${n}/SOAK`, tanggal: '2026-03-02', lokasi: [`Simpang ${n}`] } } },
      { user: 'pontianak.opd', body: { type: 'complete', step: 'beri-akses-tayang', checklist: KIT, output: { kamera: `kamera-${n}`, streamUrl: 'rtsp://127.0.0.1:8554/soak', credentialsRef: `vault:soak/${n}` } } },
      { user: kadis, body: { type: 'complete', step: 'disposisi-ke-bidang', checklist: KIT } },
      { user: 'pontianak.kabid-tkpbet', body: { type: 'complete', step: 'disposisi-ke-seksi', checklist: KIT } },
      { user: kasi, body: { type: 'start-step', step: 'setting-relay' } },
      { user: kasi, body: { type: 'complete', step: 'setting-relay', checklist: KIT, output: { streamKey: `soak${n}`, playUrl: `http://127.0.0.1:8000/live/soak${n}.flv`, status: 'gagal' } } },
      { user: kasi, body: { type: 'complete', step: 'lapor-hasil-relay', checklist: KIT, output: { ringkasan: 'Relay gagal (uji ketahanan)' } } },
    ],
  };
}

export function tarakanScript(n: number): CaseScript {
  const ani = 'tarakan.petugas';
  const budi = 'tarakan.petugas-2';
  return {
    sopId: 'tarakan-pemantau-cctv', starter: ani,
    steps: [
      { user: ani, body: { type: 'acknowledge', rule: 'larangan-informasi-rekaman' } },
      { user: ani, body: { type: 'acknowledge', rule: 'larangan-ubah-hapus-data' } },
      { user: ani, body: { type: 'complete', step: 'hadir-serah-terima', checklist: ['Jadwal Shift'] } },
      { user: budi, body: { type: 'complete', step: 'serah-terima-shift', party: 'penyerah', checklist: ['Laporan'], output: { catatan: `Normal ${n}` } } },
      { user: ani, body: { type: 'complete', step: 'serah-terima-shift', party: 'penerima' } },
      { user: ani, body: { type: 'complete', step: 'cek-kondisi-cctv', checklist: ['List kelengkapan'], output: { semuaBaik: true } } },
      { user: ani, body: { type: 'complete', step: 'patroli-cctv', checklist: ['Patroli CCTV'], output: { ringkasan: `Patroli ${n}` } } },
      { user: ani, body: { type: 'choose', step: 'ada-temuan', branch: 'ya' } },
      { user: ani, body: { type: 'complete', step: 'lapor-pimpinan', checklist: ['Dokumentasi'], output: { lokasi: 'Simpang Grand', uraian: `Temuan ${n}` } } },
      { user: ani, body: { type: 'complete', step: 'berita-acara-tindak-lanjut', checklist: ['Atk', 'Form buku laporan'], output: { nomor: `BA/${n}`, tindakLanjut: 'Ke Dishub' } } },
      { user: ani, body: { type: 'choose', step: 'shift-berakhir', branch: 'exit' } },
      { user: ani, body: { type: 'complete', step: 'serah-terima-akhir', party: 'penyerah', output: { catatan: 'Lengkap' } } },
      { user: budi, body: { type: 'complete', step: 'serah-terima-akhir', party: 'penerima' } },
    ],
  };
}

/** Every demo account a script acts as. */
export const SCRIPT_USERS = ['pontianak.kadis', 'pontianak.opd', 'pontianak.kabid-tkpbet', 'pontianak.kasi-sptik', 'tarakan.petugas', 'tarakan.petugas-2'];
