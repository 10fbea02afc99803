/** The demo shop's signed-in shopper: seeded with orders, points and a tier. */
export const DEMO_SHOPPER = { id: 'demo-shopper-1', name: 'Wang Fang 王芳', email: 'wang.fang@example.com' };
