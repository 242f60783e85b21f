import { useEffect, useMemo, useState } from "preact/hooks";
import { TiffinApi } from "./api/client.js";
import { CourierScreen } from "./screens/courier.js";
import { CustomerScreen } from "./screens/customer.js";
import { OpsScreen } from "./screens/ops.js";
import { RestaurantScreen } from "./screens/restaurant.js";
import { SignIn } from "./screens/sign-in.js";
import { type Session, TokenStore } from "./session/token.js";

const SCREEN_OF_ROLE: Record<Session["role"], string> = { customer: "Order food", restaurant: "Kitchen board", courier: "Courier", admin: "Operations" };

/** The console: sign in, then the screen of the signed-in role. The token lives in memory and this tab's session storage. */
export function App() {
  const store = useMemo(() => new TokenStore(typeof sessionStorage === "undefined" ? null : sessionStorage), []);
  const [session, setSession] = useState<Session | null>(() => store.session());
  const api = useMemo(() => new TiffinApi(() => store.session()?.token ?? null), [store]);

  useEffect(() => {
    document.title = session === null ? "Sign in · Tiffin console" : `${SCREEN_OF_ROLE[session.role]} · Tiffin console`;
  }, [session]);

  const signOut = () => {
    store.signOut();
    setSession(null);
  };

  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href="#/">
          <span class="brand-mark" aria-hidden="true">
            T
          </span>
          Tiffin <span class="brand-sub">console</span>
        </a>
        {session === null ? null : (
          <div class="whoami">
            <span class={`role role-${session.role}`}>{session.role}</span>
            <span class="sub">{session.restaurantId ?? session.sub}</span>
            <button type="button" class="ghost" onClick={signOut}>
              Switch identity
            </button>
          </div>
        )}
      </header>
      <main class="content" id="main">
        {session === null ? (
          <SignIn api={api} onSignIn={(token) => setSession(store.signIn(token))} />
        ) : session.role === "customer" ? (
          <CustomerScreen api={api} session={session} />
        ) : session.role === "restaurant" ? (
          <RestaurantScreen api={api} session={session} />
        ) : session.role === "courier" ? (
          <CourierScreen api={api} session={session} />
        ) : (
          <OpsScreen api={api} />
        )}
      </main>
    </div>
  );
}
