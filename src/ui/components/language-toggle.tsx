import { useI18n } from '../i18n/i18n';

/** Switches between Bahasa Indonesia and English; the button names the language it switches to. */
export function LanguageToggle() {
  const { lang, setLang, t } = useI18n();
  const other = lang === 'id' ? 'en' : 'id';
  return (
    <button type="button" className="secondary lang-toggle" lang={other} aria-label={t('lang.switchLabel')} data-testid="lang-toggle" onClick={() => setLang(other)}>
      {t('lang.switch')}
    </button>
  );
}
