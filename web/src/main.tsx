import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router-dom';
import { I18nProvider } from './app/i18n.tsx';
import { AuthProvider } from './app/auth.tsx';
import { FullPageSpin, router } from './app/routes.tsx';
import './app/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <AuthProvider>
        <Suspense fallback={<FullPageSpin />}>
          <RouterProvider router={router} />
        </Suspense>
      </AuthProvider>
    </I18nProvider>
  </StrictMode>,
);
