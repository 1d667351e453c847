/** zod with its built-in Simplified Chinese messages, for server and browser alike. */
import { z } from "zod";

z.config(z.locales.zhCN());

export { z };
