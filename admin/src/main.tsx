// Entry point of the operators' console: React, TanStack Query (API cache) and TanStack Router (pages under /admin/).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { ApiError } from './api/client.ts';
import { router } from './app/router.tsx';
import { ToastProvider } from './components/Toasts.tsx';
import './theme.css';
import './components.css';
import './ops.css';
import './imports.css';

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      refetchOnWindowFocus: false,
      // a 4xx (bad filter, forbidden, unknown id) will not change on retry; a 5xx or a network error may
      retry: (count, err) => count < 2 && !(err instanceof ApiError && err.status < 500),
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <ToastProvider>
        <RouterProvider router={router} />
      </ToastProvider>
    </QueryClientProvider>
  </StrictMode>,
);
