/**
 * The session: who is signed in (GET /api/auth/me), sign-in, sign-out. Keeps the CSRF token the
 * server hands out with the session and reacts to "session gone" answers from any request.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { LoginRequest, LoginResponse, Me } from '@dudao/contracts';
import { api, isApiError, request, setCsrfToken, setUnauthenticatedHandler } from './api.ts';

export type SessionEndReason = 'expired' | 'loggedOut' | null;

interface AuthValue {
  /** undefined while the first GET /api/auth/me is running. */
  me: Me | null | undefined;
  /** Why the last session ended, shown on the login page. */
  endReason: SessionEndReason;
  login: (body: LoginRequest) => Promise<Me>;
  logout: () => Promise<void>;
  reload: () => Promise<Me | null>;
}

const AuthContext = createContext<AuthValue | null>(null);

/** GET /api/auth/me may answer `{user, csrfToken}` (like login) or the bare `Me`. */
type MeResponse = LoginResponse | Me;

function unpack(body: MeResponse): Me {
  if ('user' in body && 'csrfToken' in body) {
    setCsrfToken(body.csrfToken);
    return body.user;
  }
  return body;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [endReason, setEndReason] = useState<SessionEndReason>(null);
  const meRef = useRef(me);
  meRef.current = me;

  const reload = useCallback(async () => {
    try {
      const body = await request<MeResponse>('GET', '/api/auth/me', { quiet401: true });
      const user = unpack(body);
      setMe(user);
      return user;
    } catch (err) {
      if (isApiError(err) && err.status === 401) {
        setCsrfToken(null);
        if (meRef.current) setEndReason('expired');
        setMe(null);
        return null;
      }
      throw err;
    }
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setCsrfToken(null);
      // Only a session that existed can expire; a visitor without one just sees the login page.
      if (meRef.current) setEndReason('expired');
      setMe(null);
    });
    reload().catch(() => setMe(null));
    return () => setUnauthenticatedHandler(null);
  }, [reload]);

  const login = useCallback(async (body: LoginRequest) => {
    const response = await request<LoginResponse>('POST', '/api/auth/login', { body, quiet401: true });
    setCsrfToken(response.csrfToken);
    setEndReason(null);
    setMe(response.user);
    return response.user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.post('/api/auth/logout');
    } catch {
      // The session may already be gone; signing out locally is what matters.
    }
    setCsrfToken(null);
    setEndReason('loggedOut');
    setMe(null);
  }, []);

  const value = useMemo(
    () => ({ me, endReason, login, logout, reload }),
    [me, endReason, login, logout, reload],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}

/** The signed-in user; only for components rendered behind the session guard. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe without a session');
  return me;
}

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * After the server's idle timeout without any input, ask the server again: an expired session then
 * leaves the screen for the login page instead of showing data on an unattended PC.
 */
export function useIdleCheck(): void {
  const { me, reload } = useAuth();
  const minutes = me?.idleTimeoutMinutes ?? 0;
  useEffect(() => {
    if (!minutes) return;
    let last = Date.now();
    const touch = () => {
      last = Date.now();
    };
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, touch, { passive: true });
    const timer = window.setInterval(() => {
      if (Date.now() - last > minutes * 60_000 + 5_000) {
        last = Date.now();
        reload().catch(() => undefined);
      }
    }, 30_000);
    return () => {
      window.clearInterval(timer);
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, touch);
    };
  }, [minutes, reload]);
}
