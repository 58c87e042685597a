import type { LanguageKeywords } from "./keyword-group.js";

/**
 * Chinese (simplified and the common traditional forms). Each character is a word of its own
 * (see words.ts) and the longest keyword wins, so "程序员" (a programmer, talked about) is listed
 * as conversation to keep "程序" (program) from counting inside it, and "计算机" (computer) keeps
 * "计算" (calculate) from counting. "函数" is a function in both code and mathematics: medium.
 */
export const chineseKeywords: LanguageKeywords = {
  language: "zh",
  groups: [
    { role: "code", strength: "strong", words: ["代码", "程式碼", "字符串", "报错", "報錯", "调试", "编译", "数据库", "資料庫", "去重", "正则表达式", "变量"] },
    { role: "code", strength: "medium", words: ["编程", "程序", "程式", "函数", "函式", "列表", "数组", "陣列", "部署", "算法", "演算法", "循环", "接口", "提交", "撤销", "脚本", "依赖", "组件", "计算机"] },
    { role: "code", strength: "weak", words: ["错误", "错误信息", "查询", "运行", "文件", "安装", "网站", "字符"] },
    { role: "logic", strength: "strong", words: ["方程", "解方程", "概率", "機率", "导数", "導數", "证明", "證明", "阶乘", "階乘", "质数", "素数", "平方根", "整除", "鸡兔同笼", "因数", "多少种", "几种方法"] },
    { role: "logic", strength: "medium", words: ["积分", "面积", "周长", "体积", "计算", "計算", "等于", "加上", "减去", "乘以", "除以", "一共", "平均", "百分之", "各有", "几只", "多少个", "正面", "长方形", "三角形", "推理", "所有的", "相遇", "相距", "每小时", "平均速度", "涨价", "降价", "打折", "折扣", "还剩", "分之"] },
    { role: "logic", strength: "weak", words: ["多少", "几个", "倍", "数", "圆", "速度", "一半"] },
    { role: "chat", strength: "strong", words: ["你好", "您好", "谢谢", "謝謝", "早上好", "晚安", "再见"] },
    { role: "chat", strength: "medium", words: ["推荐", "小说", "诗", "笑话", "故事", "无聊", "聊天", "聊聊", "男朋友", "女朋友", "怎么办", "心情", "程序员", "工程师", "过得怎么样"] },
    { role: "chat", strength: "weak", words: ["猫", "狗", "朋友", "喜欢", "累"] },
    { role: "search", strength: "strong", words: ["汇率", "匯率", "股价", "股價", "比分", "谁赢了", "誰贏了", "金价", "收盘", "油价", "新闻", "新聞", "票房", "积分榜", "会下雨", "天气预报", "天氣預報"] },
    { role: "search", strength: "medium", words: ["最新", "股票", "比赛", "比賽", "比特币", "上映", "选举", "選舉", "指数", "股市", "诺贝尔", "空气质量", "路况", "颁给", "下雨", "罢工", "发生了什么", "天气", "天氣"] },
    { role: "search", strength: "weak", words: ["发布", "美元", "人民币", "价格", "價格", "排名"] },
    { role: "search", strength: "hint", words: ["今天", "现在", "現在", "明天", "昨天", "昨晚", "最近", "今年"] },
  ],
};
