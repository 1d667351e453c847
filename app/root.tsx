import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteLoaderData,
} from "@remix-run/react";

import { Countdown } from "~/components/countdown.tsx";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { useNonce } from "~/components/nonce.tsx";
import { ROLE_LABELS } from "~/domain/labels.ts";
import type { Role } from "~/generated/prisma/enums.ts";
import { currentRound } from "~/models/round.server.ts";
import styles from "~/styles/app.css";
import { now } from "~/utils/clock.server.ts";
import { getSessionUser } from "~/utils/session.server.ts";

export const links: LinksFunction = () => [
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "stylesheet", href: styles },
];

/** The site's name; a page's own title comes first ("工作台 · 智能化改造咨询诊断补助申报平台"). */
export const meta: MetaFunction = ({ error }) => {
  if (error === undefined) return [{ title: "智能化改造咨询诊断补助申报平台 · 张店区工业和信息化局" }];
  // An error page names what happened (a route's own meta does not run when it failed).
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const what = status === 404 ? "页面不存在" : status === 403 ? "无权访问" : "出错了";
  return [{ title: `${what} · 智能化改造咨询诊断补助申报平台` }];
};

export async function loader({ request }: LoaderFunctionArgs) {
  const [user, round] = await Promise.all([getSessionUser(request), currentRound()]);
  return {
    user: user && { name: user.name, roles: user.roles, organisationName: user.organisation?.name ?? null },
    round: round && { id: round.id, name: round.name, isDemo: round.isDemo, deadline: round.deadline.toISOString() },
    serverNow: now().toISOString(),
  };
}

const NAV: Record<Role, { to: string; label: string }[]> = {
  provider: [
    { to: "/provider", label: "我的申报" },
    { to: "/provider/summary", label: "汇总表（M7）" },
    { to: "/provider/payouts", label: "补助拨付" },
  ],
  expert: [{ to: "/expert", label: "评审任务" }],
  staff: [
    { to: "/staff", label: "工作台" },
    { to: "/staff/applications", label: "申报受理" },
    { to: "/staff/experts", label: "评审专家" },
    { to: "/staff/assignments", label: "专家分配" },
    { to: "/staff/results", label: "评审结果" },
    { to: "/staff/similarity", label: "查重比对" },
    { to: "/staff/payouts", label: "补助拨付" },
    { to: "/staff/objections", label: "公示异议" },
    { to: "/staff/providers", label: "服务商审核" },
    { to: "/staff/rounds", label: "批次管理" },
    { to: "/staff/audit", label: "操作记录" },
  ],
  approver: [
    { to: "/staff", label: "工作台" },
    { to: "/staff/payouts", label: "补助拨付" },
    { to: "/staff/objections", label: "公示异议" },
  ],
  admin: [
    { to: "/admin/users", label: "账号管理" },
    { to: "/staff/audit", label: "操作记录" },
  ],
};

function navFor(roles: Role[]) {
  const seen = new Set<string>();
  return roles.flatMap((role) => NAV[role]).filter((item) => !seen.has(item.to) && seen.add(item.to));
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  return (
    <html lang="zh-CN">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <header className="site-header">
          <div className="site-header__inner">
            <Link to="/" className="site-title">
              <span className="site-title__main">智能化改造咨询诊断补助申报平台</span>
              <span className="site-title__sub">张店区工业和信息化局</span>
            </Link>
            {data?.user ? (
              <nav className="site-nav" aria-label="主导航">
                {navFor(data.user.roles).map((item) => (
                  <NavLink key={item.to} to={item.to} end={item.to === "/staff"}>
                    {item.label}
                  </NavLink>
                ))}
              </nav>
            ) : null}
            <div className="site-user">
              {data?.user ? (
                <>
                  <span>
                    {data.user.organisationName ?? data.user.name}
                    <small>（{data.user.roles.map((r) => ROLE_LABELS[r]).join("、")}）</small>
                  </span>
                  <form method="post" action="/logout">
                    <button type="submit" className="link-button">
                      退出
                    </button>
                  </form>
                </>
              ) : (
                <>
                  <Link to="/login">登录</Link>
                  <Link to="/register">服务商注册</Link>
                </>
              )}
            </div>
          </div>
          {data?.round ? (
            <div className={`round-bar${data.round.isDemo ? " round-bar--demo" : ""}`}>
              {data.round.isDemo ? <span className="badge badge--demo">演示</span> : null}
              <span>{data.round.name}</span>
              <Countdown deadline={data.round.deadline} serverNow={data.serverNow} label="申报截止" />
            </div>
          ) : null}
        </header>
        <main className="site-main">{children}</main>
        <footer className="site-footer">张店区工业和信息化局 两化融合科 · 电话 2869847 · 所有时间均为北京时间</footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
