/**
 * Kefu's compact Chinese customer-service vocabulary (hand-written from general knowledge of
 * how shoppers write in chat; not derived from any evaluation set or from the demo articles):
 *  - synonym groups: colloquial forms, common typos (包油, 优惠卷, 登陆) and English words
 *    shoppers mix into Chinese (refund, size, vip) that mean the same thing in a shop;
 *  - filler: greetings, politeness and question-intent words that carry no topic;
 *  - extra words the general ICU dictionary splits (包邮, 客服, 退货 …).
 * Used by the knowledge-base query analyser (zh.ts). About 6 KB of source.
 */

/**
 * Each line is one group; the first member is the canonical form. A word may sit in several
 * groups (换 is both exchange and change); every member expands to all others.
 */
export const ZH_SYNONYM_GROUPS: readonly string[] = [
  // delivery and logistics
  '包邮 免邮 免运费 免邮费 包油 不要运费 不用运费 免费配送 免费送',
  '运费 邮费 快递费 配送费 运输费 寄费',
  '物流 快递 包裹 快件 货 package parcel',
  '配送 送货 派送 运送 delivery shipping',
  '运单号 快递单号 物流单号 单号 追踪号 tracking',
  '发货 出库 寄出 发出 发走 发 ship',
  '收货 收到货 到货 送达 到手 签收 送到 到',
  '多久 几天 多长时间 多少天 多少时间 时效 啥时候 什么时候 何时 几号',
  '次日 明天 第二天 隔天 次日达',
  '查 查询 查看 看 跟踪',
  '更新 动 变化 刷新',
  '偏远 偏远地区 新疆 西藏 青海',
  '顺丰 sf 顺丰速运',
  '海外 国外 境外 国际 外国 出国 美国 日本 韩国 加拿大 澳洲 澳大利亚 英国 新加坡 欧洲 abroad international overseas',
  '港澳台 香港 澳门 台湾',
  '关税 税 税费 进口税 清关 海关',
  '大促 活动 双十一 双11 618 双十二 促销',
  '预售 预定 预订 预约',
  '急 急用 加急 着急 赶时间',
  '加收 加钱 另收 额外收费 附加费 补差价 补钱',
  '价格 价钱 多少钱 费用 收费 钱',
  // orders
  '订单 单子 单 order 订购',
  '取消 撤销 撤单 取消订单 不要了 不想要了 拍错 下错 cancel',
  '地址 收货地址 收件地址 住址 address',
  '修改 改 更改 变更 更换 换 改成',
  '收件人 收货人',
  // returns and refunds
  '退货 退 退回 寄回 退掉 退换 return',
  '退款 退钱 钱退 返款 退费 退回来 refund',
  '换货 换 调换 更换 exchange',
  '售后 售后服务 售后单',
  '流程 步骤 操作 入口 办理 手续 申请',
  '无理由 不喜欢 不想要 不合适 不满意 后悔 七天无理由 7天无理由',
  '吊牌 标签',
  '拆封 拆开 开封 拆了 用过 穿过 试穿',
  '贴身 内衣 内裤 袜子 泳衣',
  '定制 刻字 订制 定做',
  '到账 收到钱 返还 原路 退到',
  '破损 碎 碎了 摔坏 压坏 破了 裂 裂了 磕坏 压扁 坏件',
  '发错 错发 发错货 寄错 发成 不是我买的',
  '少发 漏发 少件 缺件 少了 没发全',
  '质量问题 质量不好 有问题 瑕疵 次品',
  '拒收 不签收',
  // payment
  '付款 支付 付钱 结账 买单 交钱 付 pay payment',
  '方式 渠道 方法',
  '失败 付不了 支付不了 不成功 付款失败 支付失败 付不上',
  '扣款 扣钱 扣费 扣了 扣',
  '重复扣款 扣了两次 扣两次 多扣 重复支付 付了两次',
  '花呗 分期 白条',
  '信用卡 visa mastercard 万事达 jcb',
  '银行卡 储蓄卡 借记卡 银联 云闪付',
  '风控 风险 拦截 安全验证',
  '超时 转圈 卡住 没反应',
  '微信 wx vx 微信支付 wechat',
  '支付宝 zfb alipay',
  '发票 开票 票 专票 普票 增值税发票 收据 invoice receipt',
  '抬头 公司抬头 税号',
  '报销 入账',
  '优惠券 券 优惠卷 红包 抵用券 代金券 满减券 coupon',
  '优惠码 折扣码 兑换码 券码 promo code',
  '叠加 一起用 同时用 混用',
  '新人 新用户 新注册 第一次买 首单',
  // membership and points
  '会员 vip 会员卡 member membership',
  '权益 福利 特权 好处 待遇 优惠 benefits',
  '等级 级别 段位 tier',
  '黄金 金卡 金牌 gold',
  '铂金 白金 白金卡 platinum',
  '白银 银卡 silver',
  '升级 升等 升 提升',
  '生日 生日礼 生日券 生日礼物',
  '礼物 礼品 赠品 gift',
  '积分 点数 points',
  '获得 赚 攒 积累 获取 赚取 送 得到',
  '抵扣 抵 抵钱 当钱用 抵现 兑换',
  '过期 到期 失效 清零 有效期 没了',
  '提现 换钱 换现金',
  // account
  '登录 登陆 登入 登不上 登不进 上不去 进不去 login',
  '注册 开户 注册账号 sign up',
  '账户 账号 帐号 帐户 account',
  '密码 口令 密马 password',
  '忘记 忘了 记不得 不记得 想不起',
  '重置 找回 改密码',
  '验证码 校验码 短信码 动态码 code',
  '手机号 手机号码 电话号码 号码 手机 电话 phone',
  '停用 停机 不用了 注销了 换号',
  '邮箱 电子邮箱 email 邮件',
  '绑定 关联 解绑 换绑 改绑',
  '锁定 锁 冻结 被锁 封号',
  '注销 销户 删号 删除账号 注销账号 删掉账号 删除账户',
  '恢复 撤回 找回来',
  // privacy
  '导出 下载 备份 拷贝 export',
  '个人信息 个人数据 隐私 资料 数据 信息 data privacy',
  '营销短信 推广短信 广告短信 营销消息 骚扰短信 推送 营销',
  '删除 删掉 清除 删',
  '输入 输 填 填写 录入 写 填错 写错',
  // products and service
  '保修 质保 维修 修 修理 三包 保固 warranty',
  '用不了 不能用 无法使用 不可用 用不上 没法用',
  '故障 坏了 坏 失灵 出毛病 接触不良 不工作 不灵',
  '进水 泡水 沾水 掉水里',
  '电子产品 数码 电器 家电 小家电',
  '耳机 耳塞 headphones',
  '充电宝 移动电源 power bank',
  '尺码 码 码数 尺寸 大小 size 号型',
  '尺码表 尺寸表 码表 size chart',
  '偏大 偏小 大一码 小一码 大了 小了 买大了 买小了 太大 太小',
  '衣服 服装 上衣 外套 裤子 衣裳 服饰',
  '身高 体重 胸围 腰围',
  '客服 人工 人工客服 在线客服 售后客服 工作人员',
  '上班 下班 在线 营业 工作时间 几点 服务时间',
  '联系 热线 联络 电话 contact',
  '留言 回复 回消息 答复',
  '周末 节假日 假期 放假 国庆 春节 过年 周六 周日',
  '晚上 夜里 半夜 夜间',
];

/**
 * Words that count half in retrieval: question-type words (多久 says the answer is a duration,
 * not what the topic is) and one-character verbs that mean many things (到, 发, 换, 退).
 * One-character words outside the vocabulary count half as well.
 */
export const ZH_WEAK: readonly string[] = (
  '多久 几天 多长时间 多少天 多少时间 啥时候 什么时候 何时 几号 几点 多少钱 ' +
  '到 发 看 查 付 扣 改 换 退 送 得 删 写 填 输 抵 升 锁 修 坏 碎 裂 单 货 动 找 赚 攒'
).split(' ');

/**
 * Words dropped from a question before retrieval: greetings, politeness, particles, pronouns
 * and question-intent words ("怎么", "能不能"), which match every help article equally.
 */
export const ZH_FILLER: readonly string[] = (
  '亲 亲亲 亲爱的 在吗 在不在 在么 在嘛 你好 您好 哈喽 嗨 喂 请问 问一下 问下 想问 想问下 想问一下 咨询 咨询一下 ' +
  '麻烦 麻烦你 麻烦您 谢谢 多谢 感谢 谢了 急急急 在线等 怎么 怎么样 怎样 如何 咋 咋整 咋办 咋弄 咋回事 ' +
  '怎么办 怎么弄 怎么搞 怎么回事 什么 啥 哪些 哪里 哪儿 哪 吗 呢 么 嘛 吧 啊 呀 哦 噢 哈 啦 咯 嘞 呐 哇 了 的 得 地 着 过 ' +
  '能不能 可不可以 可以 能 能否 会不会 会 是不是 有没有 是否 要不要 要 想 需要 我 我的 我们 你们 你 您 他 她 它 ' +
  '这 那 这个 那个 这样 那样 一下 就 都 也 还 又 再 很 太 好 吧 呗 一个 个 下 是 有 在 和 与 跟 把 被 让 给 对 从 为 ' +
  '请 帮 帮我 帮忙 一般 大概 大约 左右 现在 已经 刚刚 刚 然后 但是 可是 所以 因为 如果 的话 情况 问题 东西 东东 不想 不了 到底 究竟 多少 一直 老是 总是 不 没 ' +
  '买 买的 用 来 才 块 后 里 里面 说 感觉 那边 这边 期间 过来 包括 一件 一部分 的是 是啥 时候 之前 之后 以后 还是 或者 所有 其他 别的'
).split(' ');
