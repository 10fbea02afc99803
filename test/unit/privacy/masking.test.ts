import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readsUnmaskedText } from '#shared/privacy/views.ts';
import {
  isCardNumber,
  isIdNumber,
  luhnValid,
  maskAddress,
  maskBirthday,
  maskCard,
  maskEchoes,
  maskEmail,
  maskIdNumber,
  maskPhone,
  maskProfile,
  maskText,
  maskTextDetailed,
} from '#shared/text/masking.ts';

describe('phone numbers', () => {
  it('masks a Chinese mobile number to its first three and last four digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('138-1234-5678')).toBe('138****5678');
    expect(maskPhone('138 1234 5678')).toBe('138****5678');
    expect(maskPhone('+86 13812345678')).toBe('+86 138****5678');
    expect(maskPhone('008619912345678')).toBe('0086 199****5678');
  });

  it('masks a landline but keeps its area code (three digits for 010 and 02x, four for the others)', () => {
    expect(maskPhone('010-12345678')).toBe('010-****5678');
    expect(maskPhone('(021)87654321')).toBe('021-****4321');
    expect(maskPhone('0571 88886666')).toBe('0571-****6666');
    expect(maskPhone('07558888666')).toBe('0755-****8666');
  });

  it('keeps only the last four digits of any other number', () => {
    expect(maskPhone('+1 415 555 0100')).toBe('+* *** *** 0100');
    expect(maskPhone('123')).toBe('***');
  });

  it('finds mobile numbers and landlines inside a message, also typed in full-width digits', () => {
    expect(maskText('请打我电话13812345678，谢谢')).toBe('请打我电话138****5678，谢谢');
    expect(maskText('电话 +86 138-1234-5678 或 010-12345678')).toBe('电话 +86 138****5678 或 010-****5678');
    expect(maskText('手机１３８１２３４５６７８')).toBe('手机138****5678');
    expect(maskText('two: 13812345678 13912345678')).toBe('two: 138****5678 139****5678');
  });

  it('leaves numbers that are not phone numbers alone (order numbers, dates, amounts, a 12-digit run)', () => {
    for (const text of ['订单 2024-01-05 已发货', '金额 12345678 元', 'order 123456789012', '编号12812345678', 'SKU A13812345678']) {
      expect(maskText(text)).toBe(text);
    }
  });
});

describe('emails', () => {
  it('keeps the first character and the domain', () => {
    expect(maskEmail('wang.fang@example.com')).toBe('w***@example.com');
    expect(maskEmail('a@b.co')).toBe('a***@b.co');
    expect(maskEmail('not-an-email')).toBe('****');
  });

  it('finds emails in text', () => {
    expect(maskText('邮箱 wang.fang@example.com 谢谢')).toBe('邮箱 w***@example.com 谢谢');
    expect(maskText('mail me: li+shop@mail.example.cn.')).toBe('mail me: l***@mail.example.cn.');
  });
});

describe('ID numbers (身份证)', () => {
  it('accepts an 18-character ID only with a real birth date and the right check digit (X included)', () => {
    expect(isIdNumber('11010519491231002X')).toBe(true);
    expect(isIdNumber('11010519491231002x')).toBe(true);
    expect(isIdNumber('440306199003074513')).toBe(true);
    expect(isIdNumber('440306199003074512')).toBe(false); // check digit
    expect(isIdNumber('440306199013074513')).toBe(false); // month 13
    expect(isIdNumber('440306199002304513')).toBe(false); // 30 February
    expect(isIdNumber('440306289003074513')).toBe(false); // year 2890
    expect(isIdNumber('4403061990030745')).toBe(false);
  });

  it('masks all but the first three and the last four characters', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X');
    expect(maskText('身份证号：11010519491231002X。')).toBe('身份证号：110***********002X。');
    expect(maskTextDetailed('身份证 440306199003074513').kinds).toEqual(['id_number']);
  });

  it('leaves an 18-digit order number that is not a valid ID readable', () => {
    expect(maskText('订单 202412345678901234 到了吗')).toBe('订单 202412345678901234 到了吗');
  });
});

describe('card numbers', () => {
  it('Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('12ab')).toBe(false);
  });

  it('accepts 16 to 19 digits with a card issuer’s first digits and a valid Luhn check', () => {
    expect(isCardNumber('6222021234567894')).toBe(true);
    expect(isCardNumber('6222 0212 3456 7894')).toBe(true);
    expect(isCardNumber('6228480012345678911')).toBe(true);
    expect(isCardNumber('6222021234567895')).toBe(false); // Luhn
    expect(isCardNumber('411111111111111')).toBe(false); // 15 digits
    expect(isCardNumber('1000000000000009')).toBe(false); // no issuer starts with 1
  });

  it('masks to the first four and the last four digits, in text too', () => {
    expect(maskCard('6222021234567894')).toBe('6222 **** **** 7894');
    expect(maskText('卡号 6222 0212 3456 7894，请退款')).toBe('卡号 6222 **** **** 7894，请退款');
    expect(maskText('card 6217-0012-3456-7890-122')).toBe('card 6217 **** **** 0122');
    expect(maskText('订单号 4000123456789010 状态')).toBe('订单号 4000123456789010 状态');
  });

  it('never reads a card or ID number as a phone number', () => {
    expect(maskTextDetailed('卡 6222021234567894').kinds).toEqual(['card']);
    expect(maskTextDetailed('ID 11010519491231002X').kinds).toEqual(['id_number']);
  });

  it('any valid 16-digit UnionPay number is masked wherever it stands in a sentence', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^62\d{13}$/), fc.constantFrom('卡号', 'card: ', '银行卡是'), (body, lead) => {
        const check = [...Array(10).keys()].map(String).find((d) => luhnValid(body + d)) as string;
        const masked = maskText(`${lead}${body}${check}。`);
        expect(masked).toBe(`${lead}${body.slice(0, 4)} **** **** ${(body + check).slice(-4)}。`);
      }),
    );
  });
});

describe('addresses', () => {
  it('keeps the region (省/市/区) and masks the street and number', () => {
    expect(maskText('我的地址是上海市浦东新区张江路88号3栋201室，谢谢')).toBe('我的地址是上海市浦东新区****，谢谢');
    expect(maskText('寄到广东省广州市天河区珠江新城花城大道18号')).toBe('寄到广东省广州市天河区****');
    expect(maskText('浦东新区阳光小区3栋2单元1201')).toBe('浦东新区****');
    expect(maskText('北京市朝阳区建国路甲88号院')).toBe('北京市朝阳区****');
  });

  it('masks a street address without a region after its lead-in', () => {
    expect(maskText('麻烦寄张江路88号')).toBe('麻烦寄****');
  });

  it('leaves sentences with numbers that are not addresses alone', () => {
    for (const text of ['我知道3号到货', '3号楼的快递柜', '上海市浦东新区发货', '买了2件']) expect(maskText(text)).toBe(text);
  });

  it('a profile address keeps its region even without a house number', () => {
    expect(maskAddress('上海市浦东新区张江路88号')).toBe('上海市浦东新区****');
    expect(maskAddress('上海市浦东新区张江路')).toBe('上海市浦东新区****');
    expect(maskAddress('Baker Street 221B')).toBe('Ba****');
  });
});

describe('profiles and roles', () => {
  it('masks the personal fields and names them', () => {
    const { profile, masked } = maskProfile({
      contactId: 'c1',
      name: '王芳',
      email: 'wang.fang@example.com',
      phone: '13812345678',
      birthday: '1990-03-07',
      shopUserId: 'u-1',
    });
    expect(profile).toEqual({ contactId: 'c1', name: '王芳', email: 'w***@example.com', phone: '138****5678', birthday: '****-03-07', shopUserId: 'u-1' });
    expect(masked).toEqual(['email', 'phone', 'birthday']);
  });

  it('a birthday keeps its day and loses its year', () => {
    expect(maskBirthday('1990-03-07')).toBe('****-03-07');
    expect(maskBirthday('March')).toBe('****');
  });

  it('supervisors and admins read messages unmasked, agents and marketing do not', () => {
    expect(readsUnmaskedText(['agent'])).toBe(false);
    expect(readsUnmaskedText(['marketing'])).toBe(false);
    expect(readsUnmaskedText(['agent', 'supervisor'])).toBe(true);
    expect(readsUnmaskedText(['admin'])).toBe(true);
  });

  it('masking is idempotent and never lengthens digits back into view', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const once = maskText(text);
        expect(maskText(once)).toBe(once);
      }),
    );
  });
});

describe('maskEchoes: the bot never repeats what the shopper typed', () => {
  it('masks the shopper’s own number however the reply spaces it, and keeps numbers the shopper did not write', () => {
    const said = ['我的手机是13812345678，卡号6222 0212 3456 7894'];
    const reply = '好的，我们会致电 138-1234-5678 并退款到 6222021234567894。如有疑问请拨打客服热线 13900001111。';
    const out = maskEchoes(reply, said);
    expect(out).toContain('138****5678');
    expect(out).toContain('6222 **** **** 7894');
    expect(out).toContain('13900001111');
    expect(out).not.toMatch(/1234-5678|6222021234567894/);
  });

  it('matches emails case-insensitively and +86 numbers with the bare ones; leaves a reply with no echo untouched', () => {
    expect(maskEchoes('已发送到 Wang.Fang@Example.com', ['邮箱 wang.fang@example.com'])).toBe('已发送到 W***@Example.com');
    expect(maskEchoes('回电 13812345678', ['+86 138 1234 5678'])).toBe('回电 138****5678');
    expect(maskEchoes('订单 4000123456 已发货', ['我的订单 4000123456'])).toBe('订单 4000123456 已发货');
    expect(maskEchoes('您好', [])).toBe('您好');
  });

  it('never leaves a number the shopper typed readable in the reply (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('3', '5', '7', '8', '9'), fc.stringMatching(/^\d{9}$/), (second, rest) => {
        const phone = `1${second}${rest}`;
        expect(maskEchoes(`好的，${phone} 已记录`, [`电话 ${phone}`])).not.toContain(phone);
      }),
    );
  });
});

describe('conversationView', () => {
  it('masks the bot’s hand-off summary for agents in both of its shapes, and leaves it to supervisors', async () => {
    const { conversationView } = await import('#shared/privacy/views.ts');
    const said = '顾客说：“请打我电话 13812345678”';
    const conversation = {
      conversationId: 'conv_1',
      lastMessagePreview: '好的',
      bot: {
        active: false,
        handoff: {
          reason: 'customer_request',
          summary: said,
          summaryText: { 'zh-CN': said, en: 'They said: "call me on 13812345678"' },
          team: 't',
          priority: 'normal',
          at: '2026-12-03T00:00:00Z',
        },
      },
    } as unknown as Parameters<typeof conversationView>[0];
    const agent = conversationView(conversation, false).bot?.handoff;
    expect(JSON.stringify(agent)).not.toContain('13812345678');
    expect(agent?.summaryText?.['zh-CN']).toContain('138****5678');
    expect(agent?.summaryText?.en).toContain('138****5678');
    expect(conversationView(conversation, true).bot?.handoff?.summaryText?.['zh-CN']).toContain('13812345678');
  });
});
