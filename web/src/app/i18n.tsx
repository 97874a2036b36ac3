/**
 * A small zh/en dictionary, a React context holding the current language, and `t(key, vars)`.
 * Chinese is the default; the choice is saved in localStorage. antd's locale follows the language.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ConfigProvider, App as AntApp } from 'antd';
import type { Locale } from 'antd/es/locale';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import type { Lang } from '@dudao/contracts';
import { setApiLanguage } from './api.ts';
import { messages, type MessageKey } from './messages.ts';

export type { MessageKey };
export type TFunction = (key: MessageKey, vars?: Record<string, string | number>) => string;

const STORAGE_KEY = 'dudao.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch {
    // storage unavailable (private mode): fall back to the default
  }
  return 'zh';
}

/**
 * 'antd/locale/*' are CommonJS files; with Node-style interop (this package is "type": "module") the
 * default import is the module object and the locale sits in its `default`, as antd's ConfigProvider
 * itself allows for.
 */
function unwrapLocale(raw: Locale): Locale {
  const inner: unknown = (raw as { default?: unknown }).default;
  return typeof inner === 'object' && inner !== null && 'locale' in inner ? (inner as Locale) : raw;
}

/**
 * antd's Chinese locale leaves week-day and month names to dayjs' locale data; give the date pickers
 * Chinese names directly so that we need not load dayjs locales. Built once, on first use.
 */
let zhLocale: Locale | null = null;
function chineseLocale(): Locale {
  if (zhLocale) return zhLocale;
  const base = unwrapLocale(zhCN);
  const datePicker = base.DatePicker;
  if (!datePicker) return base;
  const lang = {
    ...datePicker.lang,
    shortWeekDays: ['日', '一', '二', '三', '四', '五', '六'],
    shortMonths: ['1月', '2月', '3月', '4月', '5月', '6月', '7月', '8月', '9月', '10月', '11月', '12月'],
    monthFormat: 'M月',
  };
  zhLocale = { ...base, DatePicker: { ...datePicker, lang } };
  return zhLocale;
}

interface I18nValue {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: TFunction;
}

const I18nContext = createContext<I18nValue | null>(null);

function format(text: string, vars?: Record<string, string | number>): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  setApiLanguage(lang);

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = lang === 'zh' ? '督导 Dudao' : 'Dudao 督导';
  }, [lang]);

  const setLang = useCallback((next: Lang) => {
    setApiLanguage(next);
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // ignore
    }
  }, []);

  const t = useCallback<TFunction>((key, vars) => format(messages[key][lang === 'zh' ? 0 : 1], vars), [lang]);

  const value = useMemo(() => ({ lang, setLang, t }), [lang, setLang, t]);

  return (
    <I18nContext.Provider value={value}>
      <ConfigProvider
        locale={lang === 'zh' ? chineseLocale() : unwrapLocale(enUS)}
        theme={{ token: { colorPrimary: '#1558b0', borderRadius: 6 } }}
      >
        <AntApp>{children}</AntApp>
      </ConfigProvider>
    </I18nContext.Provider>
  );
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

/**
 * A module's own texts, [中文, English] beside its pages: `const useX = moduleMessages({...})` gives a hook
 * returning the app's `t`, the module's `m` and the language. One mechanism for every module.
 */
export function moduleMessages<K extends string>(table: Record<K, readonly [string, string]>) {
  return function useModuleI18n() {
    const { t, lang } = useI18n();
    const m = useCallback(
      (key: K, vars?: Record<string, string | number>) => format(table[key][lang === 'zh' ? 0 : 1], vars),
      [lang],
    );
    return { t, m, lang };
  };
}
