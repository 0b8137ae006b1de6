import type { ComponentType } from 'preact';
import { useValue } from './lib/signal-value';
import { token, logOut } from './lib/session';
import { route, href } from './lib/route';
import { streamConnected } from './lib/notifications';
import { Toasts } from './components/toasts';
import { NotificationToasts } from './components/notification-toasts';
import { Login } from './pages/login';
import { Dashboard } from './pages/dashboard';
import './lib/sampler';
import { Services } from './pages/services';
import { Profiles } from './pages/profiles';
import { Alarms } from './pages/alarms';
import { RaEntities } from './pages/ra-entities';
import { Traces } from './pages/traces';
import { Usage } from './pages/usage';
import { Inspector } from './pages/inspector';
import type { PageProps } from './pages/page-props';
import { Cdrs } from './pages/cdrs';

const PAGES: Array<{ name: string; title: string; component: ComponentType<PageProps> }> = [
  { name: 'dashboard', title: 'Dashboard', component: Dashboard },
  { name: 'services', title: 'Services', component: Services },
  { name: 'ra', title: 'RA entities', component: RaEntities },
  { name: 'profiles', title: 'Profiles', component: Profiles },
  { name: 'alarms', title: 'Alarms', component: Alarms },
  { name: 'traces', title: 'Trace', component: Traces },
  { name: 'usage', title: 'Usage', component: Usage },
  { name: 'cdrs', title: 'CDRs', component: Cdrs },
  { name: 'inspector', title: 'Inspector', component: Inspector },
];

export function App() {
  const session = useValue(token);
  const [name = 'dashboard', ...path] = useValue(route);
  if (!session) return <Login />;
  const page = PAGES.find((p) => p.name === name) ?? PAGES[0]!;
  const Page = page.component;
  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href={href('dashboard')}>
          Sleet
        </a>
        <nav>
          {PAGES.map((p) => (
            <a key={p.name} href={href(p.name)} class={p === page ? 'active' : ''} data-page={p.name}>
              {p.title}
            </a>
          ))}
        </nav>
        <StreamState />
        <button type="button" class="btn btn-plain" onClick={logOut}>
          Log out
        </button>
      </header>
      <main>
        <Page key={page.name} path={path} />
      </main>
      <NotificationToasts />
      <Toasts />
    </div>
  );
}

function StreamState() {
  const connected = useValue(streamConnected);
  return (
    <span class={`stream ${connected ? 'stream-on' : 'stream-off'}`} title="management notifications (SSE)">
      {connected ? 'live' : 'offline'}
    </span>
  );
}
