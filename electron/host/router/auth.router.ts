/**
 * Signing in at the desk: who is working here (the session), sign in (checked by the server when
 * it can be reached, by this desk's memory of earlier sign-ins when not), sign out. These calls
 * need only the window's launch token, not a signed-in member of staff.
 */
import { z } from 'zod';
import { deskProcedure, router } from './trpc';

const SignIn = z.object({
  login: z.string().max(64, 'errors.auth.loginInvalid'),
  password: z.string().max(1024, 'errors.auth.invalidCredentials'),
});

export const authRouter = router({
  session: deskProcedure.query(({ ctx }) => ({
    enrolled: ctx.session.enrolled,
    session: ctx.session.info(),
    /** The UI shows the sign-in screen when this is true. */
    signInRequired: ctx.session.actor() === null,
  })),
  signIn: deskProcedure.input(SignIn).mutation(async ({ ctx, input }) => {
    const info = await ctx.session.signIn(input.login, input.password);
    ctx.sync.conflictsChanged();
    return info;
  }),
  signOut: deskProcedure.mutation(({ ctx }) => {
    ctx.session.signOut();
    return { ok: true };
  }),
});
