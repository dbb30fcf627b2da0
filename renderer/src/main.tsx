// Renderer entry: mounts the app. The base stylesheet comes first so screen and dialog styles can refine it.
import './styles.css';
import './components/controls.css';
import './components/forms.css';
import './components/tables.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { present } from '../../shared/errors.js';
import { App } from './App.js';

createRoot(present(document.getElementById('root'), 'the #root element of index.html')).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
