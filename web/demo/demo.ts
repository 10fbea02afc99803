import type { KefuUser } from '../widget/bridge.ts';

type Lang = 'zh-CN' | 'en';

const zh = {
  docTitle: '西湖龙井 明前特级 250g — 青禾茶铺',
  bar: '满 199 元包邮 · 7 天无理由退换',
  shopName: '青禾茶铺',
  navLabel: '商店导航',
  navGreen: '绿茶',
  navBlack: '红茶',
  navOolong: '乌龙茶',
  navGifts: '礼盒',
  cart: '购物车 (0)',
  crumbs: '首页 / 绿茶 / 西湖龙井',
  photoLabel: '一罐西湖龙井茶叶',
  title: '西湖龙井 明前特级 250g',
  rating: '★★★★★ 4.9（1,283 条评价）',
  price: '¥268',
  oldPrice: '¥328',
  lead: '产自杭州西湖产区，清明前手工采摘炒制，豆香清雅，回甘持久。',
  sizeLegend: '规格',
  size1: '250g 罐装',
  size2: '500g 礼盒',
  addToCart: '加入购物车',
  ask: '咨询客服',
  perk1: '下单后 24 小时内发货',
  perk2: '会员积分：每消费 1 元得 1 分',
  accountNote: '演示：以已验证的购物者身份登录，客服会看到“已验证”标记。',
  login: '以演示购物者身份登录',
  loggedIn: '已登录：{name}（已验证购物者）',
  loginMissing: '此环境未提供演示身份签名接口，因此访客以匿名身份聊天。',
  detailsTitle: '商品详情',
  details: '龙井四绝：色绿、香郁、味甘、形美。建议 80°C 左右的水冲泡，投茶量 3 克，第一泡 1 分钟。开封后请密封冷藏，30 天内饮用风味最佳。',
  reviewsTitle: '买家评价',
  review1Name: '王女士',
  review1: '香气很正，包装精美，送人很体面。',
  review2Name: 'Li M.',
  review2: '回甘明显，客服回复也很快。',
  footer: '青禾茶铺 · Kefu 演示商店（非真实商店）',
  newReply: '{name} 回复了您：{text}',
  switchLabel: 'Switch to English',
  switchText: 'EN',
};

const text: Record<Lang, Record<keyof typeof zh, string>> = {
  'zh-CN': zh,
  en: {
    docTitle: 'West Lake Longjing, pre-Qingming grade, 250 g — Qinghe Tea',
    bar: 'Free shipping over ¥199 · 7-day returns',
    shopName: 'Qinghe Tea',
    navLabel: 'Shop navigation',
    navGreen: 'Green tea',
    navBlack: 'Black tea',
    navOolong: 'Oolong',
    navGifts: 'Gift boxes',
    cart: 'Cart (0)',
    crumbs: 'Home / Green tea / West Lake Longjing',
    photoLabel: 'A tin of West Lake Longjing tea leaves',
    title: 'West Lake Longjing, pre-Qingming grade, 250 g',
    rating: '★★★★★ 4.9 (1,283 reviews)',
    price: '¥268',
    oldPrice: '¥328',
    lead: 'Hand-picked and pan-fired before Qingming in Hangzhou’s West Lake area: a gentle chestnut aroma and a long sweet finish.',
    sizeLegend: 'Size',
    size1: '250 g tin',
    size2: '500 g gift box',
    addToCart: 'Add to cart',
    ask: 'Ask customer service',
    perk1: 'Ships within 24 hours',
    perk2: 'Member points: 1 point per ¥1 spent',
    accountNote: 'Demo: sign in as a verified shopper and the agent sees a “Verified” badge.',
    login: 'Log in as demo shopper',
    loggedIn: 'Signed in as {name} (verified shopper)',
    loginMissing: 'This environment offers no demo identity signing endpoint, so visitors chat anonymously.',
    detailsTitle: 'Product details',
    details:
      'Longjing’s four marks: green colour, rich aroma, sweet taste, fine shape. Brew 3 g with water at about 80°C, one minute for the first infusion. Keep sealed and cool after opening; best within 30 days.',
    reviewsTitle: 'Reviews',
    review1Name: 'Ms Wang',
    review1: 'Lovely aroma and beautiful packaging, a great gift.',
    review2Name: 'Li M.',
    review2: 'Clear sweet aftertaste, and customer service answered fast.',
    footer: 'Qinghe Tea · a Kefu demo shop (not a real shop)',
    newReply: '{name} replied: {text}',
    switchLabel: '切换为中文',
    switchText: '中文',
  },
};

let lang: Lang = new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'zh-CN';
let signedInAs: string | undefined;

function apply(next: Lang): void {
  lang = next;
  const strings = text[lang];
  document.documentElement.lang = lang;
  document.title = strings.docTitle;
  for (const node of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const key = node.dataset.i18n as keyof typeof zh;
    if (key in strings) node.textContent = strings[key];
  }
  for (const node of document.querySelectorAll<HTMLElement>('[data-i18n-label]')) {
    const key = node.dataset.i18nLabel as keyof typeof zh;
    if (key in strings) node.setAttribute('aria-label', strings[key]);
  }
  const switcher = document.getElementById('lang');
  if (switcher) {
    switcher.textContent = strings.switchText;
    switcher.title = strings.switchLabel;
    switcher.setAttribute('lang', lang === 'en' ? 'zh-CN' : 'en');
  }
  const state = document.getElementById('login-state');
  if (state && signedInAs) state.textContent = strings.loggedIn.replace('{name}', signedInAs);
}

function toast(message: string): void {
  const node = document.getElementById('toast');
  if (!node) return;
  node.textContent = message;
  node.hidden = false;
  setTimeout(() => (node.hidden = true), 6000);
}

/**
 * Shows "log in as demo shopper" only when the platform hands out the demo shopper's identity:
 * `/config.json` names a `demoIdentityUrl` answering `{id, name?, email?, hmac}` with the HMAC
 * computed by the server (a shop page must never hold the identity secret).
 */
async function offerDemoLogin(): Promise<void> {
  const button = document.getElementById('login') as HTMLButtonElement | null;
  const missing = document.getElementById('login-missing');
  const state = document.getElementById('login-state');
  if (!button || !missing || !state) return;
  let user: KefuUser;
  try {
    const config = (await (await fetch(new URL('../config.json', location.href))).json()) as { demoIdentityUrl?: string };
    if (!config.demoIdentityUrl) return;
    const response = await fetch(config.demoIdentityUrl);
    if (!response.ok) return;
    user = (await response.json()) as KefuUser;
    if (!user.id || !user.hmac) return;
  } catch {
    return;
  }
  missing.hidden = true;
  button.hidden = false;
  button.addEventListener('click', () => {
    window.Kefu?.setUser(user);
    signedInAs = user.name ?? user.id;
    button.hidden = true;
    state.hidden = false;
    apply(lang);
  });
}

apply(lang);
document.getElementById('lang')?.addEventListener('click', () => apply(lang === 'en' ? 'zh-CN' : 'en'));
document.getElementById('ask')?.addEventListener('click', () => window.Kefu?.open());
let widgetOpen = false;
window.Kefu?.on('open', () => (widgetOpen = true));
window.Kefu?.on('close', () => (widgetOpen = false));
window.Kefu?.on('message', (payload) => {
  if (widgetOpen) return;
  const { message } = payload as { message: { author: { name?: string }; text: string } };
  toast(text[lang].newReply.replace('{name}', message.author.name ?? '').replace('{text}', message.text.slice(0, 80)));
});
void offerDemoLogin();
