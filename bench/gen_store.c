/* gen_store: fills an initialised kefu store with a realistic history for the
 * benchmarks in docs/performance.md (issue 3): customers with Chinese names,
 * phones, grades and companies; ~50 agents and a few supervisors in teams,
 * all with one known password; tickets of every type, channel and status
 * spread over about two years, numbered by the T-4 day counters, with their
 * deadlines (L-4 … L-10, met or overdue as the history says), timeline
 * events and search index entries made by the same tokenizer as the server.
 *
 *   build/kefu init --db URL
 *   build-bench/gen_store --db URL [--customers 200000] [--tickets 1000000]
 *                         [--seed 1] [--days 730] [--agents 50] [--supervisors 5]
 *                         [--events all|created|none] [--password P]
 *
 * Speed: it writes through sqlite3 and libpq directly, not the store's
 * one-row-at-a-time API. Secondary indexes are dropped during the load and
 * created again from their own saved DDL afterwards (a sorted build is much
 * faster than a million random B-tree inserts). SQLite loads with the
 * journal off and synchronous=OFF, then returns to WAL. PostgreSQL gets COPY
 * into unlogged staging tables, the search column as the very tsvector
 * literal that src/store/search.c writes (kf_store_search_vector: positions
 * and field weights), then INSERT … SELECT into the tables (so that parsing
 * the literals does not hold the generator up), and the identity sequences
 * are moved past the generated ids. A load that fails
 * half-way leaves a store to throw away (run kefu init on a new one).
 *
 * The audit chain and the SSE outbox are not generated: the history here
 * is for measuring tickets, and an audit entry per historical change would
 * need the chain's hashes for nothing the benchmarks read. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include "rules/policy.h"
#include "rules/ticket.h"
#include "store/search.h"
#include "store/tickets.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/err.h"
#include "util/time.h"
#include "util/tokenize.h"
#include "util/xmalloc.h"

#define MINUTE (60 * 1000LL)
#define HOUR   (60 * MINUTE)
#define DAY    (24 * HOUR)
#define BATCH  100000 /* tickets per SQLite transaction / PostgreSQL COPY round */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("gen_store: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- random numbers (xoshiro256**, seeded by splitmix64) ---- */

static uint64_t rs[4];

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rnd(void)
{
	uint64_t r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;
	rs[2] ^= rs[0];
	rs[3] ^= rs[1];
	rs[1] ^= rs[2];
	rs[0] ^= rs[3];
	rs[2] ^= t;
	rs[3] = rotl(rs[3], 45);
	return r;
}

static double u01(void)
{
	return (double)(rnd() >> 11) * 0x1.0p-53;
}

static int64_t rint_(int64_t n) /* 0 … n-1 */
{
	return n > 0 ? (int64_t)(u01() * (double)n) : 0;
}

static bool chance(double p)
{
	return u01() < p;
}

static int64_t expo(int64_t mean)
{
	return (int64_t)(-log(1.0 - u01()) * (double)mean);
}

static int64_t between(int64_t lo, int64_t hi)
{
	return lo + rint_(hi - lo);
}

#define PICK(arr) ((arr)[rint_((int64_t)(sizeof(arr) / sizeof((arr)[0])))])

/* Weighted choice: w[i] relative weights, n entries. */
static int pickw(const int *w, int n)
{
	int total = 0;
	for (int i = 0; i < n; i++)
		total += w[i];
	int x = (int)rint_(total);
	for (int i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* ---- phrase lists ---- */

static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐",	"孙",	"马",  "朱", "胡",
    "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许",	"韩",	"冯",  "邓", "曹",
    "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余",	"杜",	"叶",  "程", "苏",
    "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭",	"陆",	"汪",  "范", "金",
    "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊",	"秦",	"邱",  "江", "尹",
    "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾",	"毛",	"郝",  "龚", "邵",
    "万", "钱", "严", "覃", "武", "戴", "莫", "孔", "向", "汤", "欧阳", "司马", "诸葛"};
/* The most common surnames come first; weights fall off with the rank. */
static const char *const given[] = {
    "伟",   "芳",   "娜",   "敏",   "静",   "丽",   "强",   "磊",   "军",   "洋",   "勇",   "艳",
    "杰",   "娟",   "涛",   "明",   "超",   "霞",   "平",   "刚",   "秀英", "桂英", "建华", "建国",
    "志强", "志明", "海燕", "红梅", "晓东", "小红", "丹",   "萍",   "鹏",   "辉",   "玲",   "华",
    "飞",   "斌",   "宇",   "浩",   "凯",   "婷",   "雪",   "琳",   "欣怡", "子涵", "梓轩", "雨桐",
    "思远", "俊杰", "文博", "嘉怡", "佳琪", "晨",   "昊",   "然",   "博",   "帆",   "倩",   "颖",
    "慧",   "建军", "国强", "淑珍", "玉兰", "春梅", "金凤", "立新", "振华", "永刚", "德明", "秀兰",
    "美玲", "亮",   "健",   "坤",   "阳",   "雯",   "露",   "璐"};
static const char *const cities[] = {
    "北京", "上海", "广州", "深圳", "杭州", "南京",   "成都", "武汉", "西安", "重庆", "天津",
    "苏州", "郑州", "长沙", "青岛", "宁波", "合肥",   "济南", "厦门", "福州", "东莞", "佛山",
    "无锡", "沈阳", "大连", "昆明", "南昌", "石家庄", "太原", "南宁", "贵阳", "温州", "哈尔滨"};
static const char *const districts[] = {"朝阳", "海淀", "浦东", "天河", "南山", "西湖", "鼓楼",
					"武侯", "江汉", "雁塔", "渝中", "和平", "高新", "经开",
					"城关", "新城", "开发", "滨江", "江北", "金水"};
static const char *const roads[] = {"人民", "解放", "中山", "建设", "和平", "胜利", "文化",
				    "新华", "长江", "黄河", "朝阳", "光明", "幸福", "东风",
				    "南京", "北京", "青年", "花园", "科技", "工业"};
static const char *const company_words[] = {
    "华信", "宏达", "恒通", "鑫源", "新世纪", "金鹏", "瑞丰", "东方", "天成", "万家", "长城",
    "远大", "联创", "盛世", "永安", "利民",   "海纳", "中天", "博远", "诚信", "众诚", "嘉禾"};
static const char *const industries[] = {"贸易",     "科技",	 "物业管理", "餐饮管理", "酒店管理",
					 "建筑工程", "商贸",	 "电子",     "物流",	 "置业",
					 "教育咨询", "医疗器械", "装饰工程", "食品"};
static const char *const mobile_prefixes[] = {
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
    "152", "153", "155", "156", "157", "158", "159", "166", "177", "180", "181",
    "182", "183", "185", "186", "187", "188", "189", "191", "198", "199"};
static const char *const shops[] = {"网上旗舰店", "线下专卖店", "官方商城", "家电卖场",
				    "经销商门店", "小程序商城", "电视购物"};

struct product {
	const char *name;
	int weight;
	const char *const *faults;
	int nfaults;
	const char *const *models;
	int nmodels;
};
#define LIST(...)  ((const char *const[]){__VA_ARGS__})
#define NLIST(...) ((int)(sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)))
#define PRODUCT(name, weight, faults, models)                                                      \
	{                                                                                          \
		name, weight, LIST faults, NLIST faults, LIST models, NLIST models                 \
	}
static const struct product products[] = {
    PRODUCT("空调", 26,
	    ("不制冷", "漏水", "外机噪音大", "显示E1故障代码", "遥控失灵", "制热效果差",
	     "室内机滴水", "开机后自动关机", "有异味"),
	    ("KFR-35GW/BP3", "KFR-26GW/N8", "KFR-72LW/BP2", "KFR-50LW/A1")),
    PRODUCT("热水器", 16,
	    ("不加热", "漏水", "水温忽冷忽热", "显示E4故障代码", "打不着火", "漏电保护跳闸",
	     "出水量小"),
	    ("JSQ25-13WH", "F80-15A", "JSQ30-16ZH", "F60-21WB")),
    PRODUCT("冰箱", 11, ("不制冷", "冷藏室结冰", "噪音大", "门封条老化", "漏水", "不停机"),
	    ("BCD-452WDP", "BCD-216SDN", "BCD-539WKP")),
    PRODUCT("洗衣机", 11, ("不脱水", "漏水", "噪音大", "不进水", "显示E21故障代码", "门打不开"),
	    ("XQG100-B14", "TG80-1229E", "XQB90-M21")),
    PRODUCT("净水器", 7, ("漏水", "出水慢", "滤芯到期提示", "有异味", "一直响"),
	    ("MRO1892-400G", "J400-RO", "R1000")),
    PRODUCT("油烟机", 7, ("吸力不足", "噪音大", "漏油", "无法启动", "灯不亮"),
	    ("CXW-200-JQ05", "CXW-260-8229")),
    PRODUCT("燃气灶", 6, ("打不着火", "漏气", "火力小", "熄火保护失灵"), ("JZT-Q216B", "JZY-FD21")),
    PRODUCT("电视", 7, ("黑屏", "无信号", "花屏", "遥控失灵", "没有声音"),
	    ("55E3F", "65V1K", "75A6G")),
    PRODUCT("洗碗机", 4, ("不排水", "漏水", "洗不干净", "显示E3故障代码"), ("WQP12-7608", )),
    PRODUCT("微波炉", 3, ("不加热", "转盘不转", "打火"), ("M1-L213B", )),
    PRODUCT("电饭煲", 2, ("不加热", "煮饭夹生", "显示E0故障代码"), ("FB40E511", )),
};
#define NPRODUCTS ((int)(sizeof products / sizeof products[0]))

/* Per type (enum kf_ticket_type order). {p} product, {f} fault. */
static const char *const subj_complaint[] = {"投诉{p}维修师傅未按约定时间上门",
					     "投诉{p}{f}多次维修仍未解决",
					     "投诉客服电话长时间无人接听",
					     "对{p}退货处理结果不满意",
					     "投诉退货退款迟迟未到账",
					     "投诉安装人员乱收费",
					     "投诉{p}送货延误",
					     "投诉{p}安装后{f}",
					     "投诉配件遗漏",
					     "投诉{p}{f}",
					     "要求退货：{p}{f}"};
static const char *const subj_inquiry[] = {
    "咨询{p}保修政策", "咨询{p}退货流程",  "咨询以旧换新活动",	 "咨询{p}安装费用",
    "咨询{p}清洗保养", "咨询延保服务",	   "咨询{p}{f}怎么处理", "咨询发票开具",
    "咨询{p}使用方法", "咨询{p}价格和优惠"};
static const char *const subj_query[] = {"查询{p}维修进度",  "查询订单物流信息",   "查询退款进度",
					 "查询{p}保修期限",  "查询工单处理结果",   "查询积分余额",
					 "查询退货审核结果", "查询{p}安装预约时间"};
static const char *const subj_repair[] = {"{p}{f}", "{p}{f}需上门维修", "报修：{p}{f}",
					  "{p}{f}，要求尽快维修", "{p}{f}"};
static const char *const subj_suggestion[] = {
    "建议增加夜间人工客服",  "建议简化退货流程",     "建议维修预约可选具体时段",
    "建议{p}说明书增加图示", "建议缩短退款到账时间", "建议公众号增加报修进度查询"};
static const char *const subj_help[] = {"家中{p}{f}求助", "老人不会使用{p}求助",
					"{p}遥控器丢失求助", "紧急求助：{p}{f}", "{p}{f}怎么办"};
static const char *const subj_service[] = {
    "预约{p}安装",	   "预约{p}清洗保养", "{p}移机服务", "预约上门维修{p}",
    "{p}以旧换新上门回收", "预约{p}滤芯更换", "{p}上门检测"};

static const char *const openers[KF_CH_COUNT] = {
    "客户来电反映，",	  "客户到店反映，",   "客户来信反映，",	       "客户传真反映，",
    "客户在官网留言称，", "客户在线咨询称，", "客户通过其他渠道反映，"};
static const char *const since[] = {"近期", "从上周开始", "三天前",	     "今天上午",
				    "昨晚", "这两天",	  "使用不到一个月就"};
static const char *const complaint_why[] = {
    "维修师傅约好上门却迟迟未到", "已经报修多次问题仍未解决", "退货申请提交后一直没有人处理",
    "客服电话多次无人接听",	  "安装师傅额外收取了材料费", "送货比承诺时间晚了好几天",
    "退款至今没有到账",		  "更换的配件不久又坏了",     "师傅上门后说要收高额维修费"};
static const char *const inquiry_what[] = {
    "想了解{p}的保修范围和期限", "询问退货需要准备哪些材料", "想了解以旧换新的补贴标准",
    "询问{p}多久需要清洗一次",	 "询问安装是否收取额外费用", "想知道{p}出现{f}是否属于保修范围",
    "询问延保服务的价格"};
static const char *const query_what[] = {"查询维修工单目前的处理进度", "查询退款是否已经原路退回",
					 "查询订单为何还未发货",       "查询上次报修的结果",
					 "查询退货审核是否通过",       "查询师傅上门的具体时间"};
static const char *const suggestion_what[] = {"希望增加夜间人工客服", "认为退货流程过于繁琐",
					      "希望维修预约可以精确到小时", "觉得说明书不够直观",
					      "希望退款能更快到账"};
static const char *const requests[] = {"要求尽快安排师傅上门维修。",	 "要求更换新机。",
				       "希望客服尽快回电说明处理进度。", "要求给予合理赔偿。",
				       "希望公司重视此问题。",		 "希望尽快处理。",
				       "希望上门前先电话联系。"};
static const char *const details[] = {"客户称家中有老人和小孩，希望尽快处理。",
				      "客户表示工作日白天不方便，希望周末上门。",
				      "客户已提供购买发票照片。",
				      "该客户近三个月内第二次来电。",
				      "客户要求上门前提前电话联系。",
				      "客户住在六楼，没有电梯。",
				      "客户称产品仍在保修期内。",
				      "客户希望安排女师傅上门。"};
static const char *const emotions[] = {"客户情绪较为激动，", "客户对处理进度不满，",
				       "客户表示如三天内不处理将向消费者协会投诉，",
				       "客户表示已在网上发帖投诉，", "客户语气平和，"};
static const char *const actions[] = {
    "已安抚客户并记录问题。",	"已告知客户处理时限。",
    "已转售后部门跟进。",	"已预约师傅上门检测。",
    "已提交售后申请等待审核。", "已向客户解释保修政策。",
    "已升级至主管处理。",	"已告知客户注意用电安全，暂停使用。",
    "已登记，待回访确认。"};
static const char *const replies[] = {
    "您好，已为您安排师傅明天上门，请保持电话畅通。",
    "您好，您的退款已提交财务处理，预计3至5个工作日到账。",
    "您好，您反映的问题我们已记录并转相关部门处理，会尽快给您答复。",
    "您好，经核实您的产品仍在保修期内，本次维修免费。",
    "您好，退货申请已审核通过，快递员将上门取件。",
    "您好，感谢您的建议，我们会认真考虑。",
    "您好，师傅已联系您预约上门时间，如有疑问请随时联系我们。"};

/* Replaces {p} and {f} in tpl, appending to b. */
static void put_tpl(struct kf_buf *b, const char *tpl, const struct product *pr, const char *fault)
{
	for (const char *s = tpl; *s; s++) {
		if (s[0] == '{' && (s[1] == 'p' || s[1] == 'f') && s[2] == '}') {
			kf_buf_adds(b, s[1] == 'p' ? pr->name : fault);
			s += 2;
		} else {
			kf_buf_addc(b, *s);
		}
	}
}

/* ---- output: one writer, two engines ---- */

enum { F_NULL, F_INT, F_TEXT };
struct fld {
	int t;
	int64_t i;
	const char *s;
};
#define FI(x)	    ((struct fld){F_INT, (int64_t)(x), NULL})
#define FS(x)	    fld_text(x)
#define FOI(has, x) ((struct fld){(has) ? F_INT : F_NULL, (int64_t)(x), NULL})
static struct fld fld_text(const char *s)
{
	struct fld f = {s ? F_TEXT : F_NULL, 0, s};
	return f;
}

enum tbl { T_CUSTOMERS, T_TICKETS, T_DEADLINES, T_EVENTS, T_COUNTERS, T_COUNT };
struct table {
	const char *name, *cols;
	int ncols;
	/* Search fields that follow the table's own (SQLite: FTS5 row with
	 * rowid = the first column; PostgreSQL: the text of one tsvector,
	 * weighted by field with weights, in the staging table's s_search). */
	const char *fts, *fts_cols;
	int nsearch;
	const char *weights;
	/* SQLite: the FTS5 row's columns after the rowid (nsearch, then the
	 * ticket index's type token, migration 019). */
	int nfts;
	sqlite3_stmt *st;
	struct kf_buf copy;
	int64_t rows;
};
static struct table tables[T_COUNT] = {
    [T_CUSTOMERS] = {"customers",
		     "id, name, phone, alt_phone, email, address, company, grade, birthday, "
		     "id_number, notes, tags, last_callback_at, created_at, updated_at, version",
		     16, "customer_search", "rowid, name, phone, company", 3,
		     kf_store_search_customer_weights, 3},
    [T_TICKETS] = {"tickets",
		   "id, number, type, channel, contact, subject, description, customer_id, "
		   "status, priority, owner_id, assignee_id, escalated_to, product, "
		   "service_class, overdue, next_due_at, policy_version, created_by, created_at, "
		   "updated_at, resolved_at, closed_at, version, pause_pending, pending_since, "
		   "deadlines",
		   27, "ticket_search", "rowid, number, subject, body, customer, tags", 4,
		   kf_store_search_ticket_weights, 5},
    [T_DEADLINES] = {"ticket_deadlines", "ticket_id, kind, due_at, met_at, overdue_at", 5},
    [T_EVENTS] = {"ticket_events", "id, ticket_id, at, actor_id, kind, internal, body, detail", 8},
    [T_COUNTERS] = {"ticket_counters", "prefix, day, value", 3},
};

struct out {
	bool pg;
	sqlite3 *lite;
	PGconn *conn;
	/* Secondary indexes dropped for the load: their DDL, to run again. */
	char **index_sql;
	int nindex;
	struct fts_side *side; /* SQLite: the search index's builder */
};

static void lite_exec(struct out *o, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(o->lite, sql, NULL, NULL, &msg) != SQLITE_OK)
		die("sqlite: %s\n  in: %.200s", msg ? msg : "?", sql);
}

static PGresult *pg_check(struct out *o, PGresult *r, const char *sql)
{
	ExecStatusType s = PQresultStatus(r);
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_COPY_IN)
		die("postgres: %s  in: %.200s", PQerrorMessage(o->conn), sql);
	return r;
}

static void pg_exec(struct out *o, const char *sql)
{
	PQclear(pg_check(o, PQexec(o->conn, sql), sql));
}

static void exec_sql(struct out *o, const char *sql)
{
	if (o->pg)
		pg_exec(o, sql);
	else
		lite_exec(o, sql);
}

/* One integer from a query. */
static int64_t query_int(struct out *o, const char *sql)
{
	int64_t v = 0;
	if (o->pg) {
		PGresult *r = pg_check(o, PQexec(o->conn, sql), sql);
		if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
			v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
		return v;
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(o->lite, sql, -1, &st, NULL) != SQLITE_OK)
		die("sqlite: %s", sqlite3_errmsg(o->lite));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* One text value from a query, malloc'd, or NULL. */
static char *query_text(struct out *o, const char *sql)
{
	char *v = NULL;
	if (o->pg) {
		PGresult *r = pg_check(o, PQexec(o->conn, sql), sql);
		if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
			v = kf_xstrdup(PQgetvalue(r, 0, 0));
		PQclear(r);
		return v;
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(o->lite, sql, -1, &st, NULL) != SQLITE_OK)
		die("sqlite: %s", sqlite3_errmsg(o->lite));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = kf_xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

static sqlite3_stmt *lite_prepare_insert(struct out *o, const char *table, const char *cols, int n)
{
	struct kf_buf b;
	kf_buf_init(&b, 0);
	kf_buf_addf(&b, "INSERT INTO %s (%s) VALUES (", table, cols);
	for (int i = 0; i < n; i++)
		kf_buf_addf(&b, "%s?", i ? ", " : "");
	kf_buf_adds(&b, ")");
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(o->lite, b.data, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) !=
	    SQLITE_OK)
		die("sqlite: %s\n  in: %s", sqlite3_errmsg(o->lite), b.data);
	kf_buf_release(&b);
	return st;
}

static void lite_row(struct out *o, sqlite3_stmt *st, const struct fld *f, int n)
{
	for (int i = 0; i < n; i++) {
		if (f[i].t == F_INT)
			sqlite3_bind_int64(st, i + 1, f[i].i);
		else if (f[i].t == F_TEXT)
			sqlite3_bind_text(st, i + 1, f[i].s, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, i + 1);
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		die("sqlite: %s", sqlite3_errmsg(o->lite));
	sqlite3_reset(st);
}

/* ---- SQLite: the search index, built beside the load ----
 *
 * FTS5 inserts are most of the work of a SQLite load. A second thread
 * builds the two FTS5 tables in a side database file, made with the store's
 * own CREATE VIRTUAL TABLE statements, while the main thread writes the rest
 * (2 cores). At the end the side tables' shadow tables that hold the index
 * (_data, _idx, _content, _docsize) are copied into the store row for row,
 * so the store holds the very index that inserting the rows there would
 * have made; the store's _config stays as its migrations left it (the merge
 * setting of migration 014), the side's held only the build's hashsize. */

#define FTS_CHUNK 1024
#define FTS_QUEUE 64 /* chunks waiting at most; the producer waits beyond */
struct fts_row {
	int table;
	int64_t rowid;
	char *text; /* the search columns, NUL-separated, in one block */
};
struct fts_chunk {
	int n;
	struct fts_row rows[FTS_CHUNK];
	struct fts_chunk *next;
};
struct fts_side {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv_put, cv_get;
	struct fts_chunk *head, *tail, *cur;
	int queued;
	bool done;
	char *path;
	sqlite3 *db;
	sqlite3_stmt *st[T_COUNT];
};
static const char *const fts_shadow[] = {"data", "idx", "content", "docsize"};

static void side_exec(struct fts_side *f, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(f->db, sql, NULL, NULL, &msg) != SQLITE_OK)
		die("sqlite (search side): %s\n  in: %.200s", msg ? msg : "?", sql);
}

static void *fts_main(void *arg)
{
	struct fts_side *f = arg;
	int64_t rows = 0;
	side_exec(f, "BEGIN");
	for (;;) {
		pthread_mutex_lock(&f->mu);
		while (!f->head && !f->done)
			pthread_cond_wait(&f->cv_get, &f->mu);
		struct fts_chunk *c = f->head;
		if (c) {
			f->head = c->next;
			if (!f->head)
				f->tail = NULL;
			f->queued--;
			pthread_cond_signal(&f->cv_put);
		}
		pthread_mutex_unlock(&f->mu);
		if (!c)
			break;
		for (int i = 0; i < c->n; i++) {
			struct fts_row *r = &c->rows[i];
			sqlite3_stmt *st = f->st[r->table];
			sqlite3_bind_int64(st, 1, r->rowid);
			const char *p = r->text;
			for (int k = 0; k < tables[r->table].nfts; k++) {
				sqlite3_bind_text(st, k + 2, p, -1, SQLITE_STATIC);
				p += strlen(p) + 1;
			}
			if (sqlite3_step(st) != SQLITE_DONE)
				die("sqlite (search side): %s", sqlite3_errmsg(f->db));
			sqlite3_reset(st);
			free(r->text);
			if (++rows % BATCH == 0)
				side_exec(f, "COMMIT; BEGIN");
		}
		free(c);
	}
	/* One segment per index, as a store that has merged its segments over
	 * time has: left as the many segments of the batches, the first
	 * registrations after the load would pay for merging them (measured:
	 * 33-48 ms of CPU per registration instead of about 1 ms). */
	side_exec(f, "INSERT INTO ticket_search(ticket_search) VALUES ('optimize'); "
		     "INSERT INTO customer_search(customer_search) VALUES ('optimize'); COMMIT");
	return NULL;
}

static void fts_start(struct out *o, const char *store_path)
{
	struct fts_side *f = kf_xcalloc(1, sizeof *f);
	size_t n = strlen(store_path) + 32;
	f->path = kf_xmalloc(n);
	snprintf(f->path, n, "%s.search-build", store_path);
	remove(f->path);
	if (sqlite3_open_v2(f->path, &f->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK)
		die("cannot create %s: %s", f->path, sqlite3_errmsg(f->db));
	side_exec(f, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
		     "PRAGMA cache_size=-500000; PRAGMA locking_mode=EXCLUSIVE");
	for (int t = 0; t < T_COUNT; t++) {
		if (!tables[t].nsearch)
			continue;
		char sql[256];
		snprintf(sql, sizeof sql, "SELECT sql FROM sqlite_master WHERE name = '%s'",
			 tables[t].fts);
		char *ddl = query_text(o, sql);
		if (!ddl)
			die("the store has no %s table", tables[t].fts);
		side_exec(f, ddl);
		free(ddl);
		/* FTS5 writes a segment every hashsize bytes of pending terms:
		 * fewer, bigger segments to merge. Only the side has it. */
		snprintf(sql, sizeof sql, "INSERT INTO %s (%s, rank) VALUES ('hashsize', 67108864)",
			 tables[t].fts, tables[t].fts);
		side_exec(f, sql);
		f->st[t] = lite_prepare_insert(&(struct out){.lite = f->db}, tables[t].fts,
					       tables[t].fts_cols, tables[t].nfts + 1);
	}
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->cv_put, NULL);
	pthread_cond_init(&f->cv_get, NULL);
	if (pthread_create(&f->th, NULL, fts_main, f))
		die("cannot start the search index thread");
	o->side = f;
}

static void fts_enqueue(struct fts_side *f)
{
	struct fts_chunk *c = f->cur;
	f->cur = NULL;
	if (!c)
		return;
	pthread_mutex_lock(&f->mu);
	while (f->queued >= FTS_QUEUE)
		pthread_cond_wait(&f->cv_put, &f->mu);
	if (f->tail)
		f->tail->next = c;
	else
		f->head = c;
	f->tail = c;
	f->queued++;
	pthread_cond_signal(&f->cv_get);
	pthread_mutex_unlock(&f->mu);
}

static void fts_add(struct fts_side *f, enum tbl t, int64_t rowid, const char *const *cols)
{
	if (!f->cur)
		f->cur = kf_xcalloc(1, sizeof *f->cur);
	size_t len = 0;
	for (int i = 0; i < tables[t].nfts; i++)
		len += strlen(cols[i]) + 1;
	char *text = kf_xmalloc(len), *p = text;
	for (int i = 0; i < tables[t].nfts; i++) {
		size_t n = strlen(cols[i]) + 1;
		memcpy(p, cols[i], n);
		p += n;
	}
	f->cur->rows[f->cur->n++] = (struct fts_row){(int)t, rowid, text};
	if (f->cur->n == FTS_CHUNK)
		fts_enqueue(f);
}

/* Waits for the side to finish and copies its index into the store. The
 * store must not be in a transaction (ATTACH). */
static void fts_finish(struct out *o)
{
	struct fts_side *f = o->side;
	double t0 = mono();
	fts_enqueue(f);
	pthread_mutex_lock(&f->mu);
	f->done = true;
	pthread_cond_signal(&f->cv_get);
	pthread_mutex_unlock(&f->mu);
	pthread_join(f->th, NULL);
	for (int t = 0; t < T_COUNT; t++)
		sqlite3_finalize(f->st[t]);
	sqlite3_close(f->db);
	fprintf(stderr, "  search index waited for %.1f s\n", mono() - t0);
	t0 = mono();
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(o->lite, "ATTACH DATABASE ?1 AS side", -1, &st, NULL) != SQLITE_OK)
		die("sqlite: %s", sqlite3_errmsg(o->lite));
	sqlite3_bind_text(st, 1, f->path, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		die("sqlite: cannot attach %s: %s", f->path, sqlite3_errmsg(o->lite));
	sqlite3_finalize(st);
	struct kf_buf sql;
	kf_buf_init(&sql, 0);
	lite_exec(o, "BEGIN");
	for (int t = 0; t < T_COUNT; t++) {
		if (!tables[t].nsearch)
			continue;
		for (size_t i = 0; i < sizeof fts_shadow / sizeof fts_shadow[0]; i++) {
			kf_buf_reset(&sql);
			kf_buf_addf(&sql,
				    "DELETE FROM main.%s_%s; INSERT INTO main.%s_%s SELECT * FROM "
				    "side.%s_%s",
				    tables[t].fts, fts_shadow[i], tables[t].fts, fts_shadow[i],
				    tables[t].fts, fts_shadow[i]);
			lite_exec(o, sql.data);
		}
	}
	/* The open tickets' index (migration 016), from the entries just
	 * copied: the few open tickets, so it is written in place. */
	lite_exec(o, "INSERT INTO ticket_search_open (rowid, number, subject, body, customer, "
		     "tags) SELECT s.rowid, s.number, s.subject, s.body, s.customer, s.tags FROM "
		     "tickets t JOIN "
		     "ticket_search s ON s.rowid = t.id WHERE t.status NOT IN ('resolved', "
		     "'closed') ORDER BY t.id");
	lite_exec(o, "COMMIT; DETACH DATABASE side");
	kf_buf_release(&sql);
	remove(f->path);
	free(f->path);
	pthread_mutex_destroy(&f->mu);
	pthread_cond_destroy(&f->cv_put);
	pthread_cond_destroy(&f->cv_get);
	free(f);
	o->side = NULL;
	fprintf(stderr, "  search index copied in %.1f s\n", mono() - t0);
}

static void copy_text(struct kf_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\':
			kf_buf_adds(b, "\\\\");
			break;
		case '\t':
			kf_buf_adds(b, "\\t");
			break;
		case '\n':
			kf_buf_adds(b, "\\n");
			break;
		case '\r':
			kf_buf_adds(b, "\\r");
			break;
		default:
			kf_buf_addc(b, *s);
		}
	}
}

static void copy_field(struct kf_buf *b, const struct fld *f)
{
	if (f->t == F_INT)
		kf_buf_addf(b, "%" PRId64, f->i);
	else if (f->t == F_TEXT)
		copy_text(b, f->s);
	else
		kf_buf_adds(b, "\\N");
}

/* A row of table t: its own columns, then (for customers and tickets) the
 * search tokens. */
static void put(struct out *o, enum tbl t, const struct fld *f, const char *const *search)
{
	struct table *tb = &tables[t];
	tb->rows++;
	if (!o->pg) {
		lite_row(o, tb->st, f, tb->ncols);
		if (tb->nsearch)
			fts_add(o->side, t, f[0].i, search);
		return;
	}
	for (int i = 0; i < tb->ncols; i++) {
		if (i)
			kf_buf_addc(&tb->copy, '\t');
		copy_field(&tb->copy, &f[i]);
	}
	if (tb->nsearch) {
		struct kf_buf v;
		kf_buf_init(&v, 0);
		kf_store_search_vector(&v, search, tb->weights, tb->nsearch);
		kf_buf_addc(&tb->copy, '\t');
		copy_text(&tb->copy, v.data);
		kf_buf_release(&v);
	}
	kf_buf_addc(&tb->copy, '\n');
}

static const char *copy_target(enum tbl t)
{
	return tables[t].nsearch
		   ? (t == T_TICKETS ? "bench_stage_tickets" : "bench_stage_customers")
		   : tables[t].name;
}

static void pg_copy_flush(struct out *o, enum tbl t)
{
	struct table *tb = &tables[t];
	if (!tb->copy.len)
		return;
	char sql[512];
	if (tb->nsearch)
		snprintf(sql, sizeof sql, "COPY %s FROM STDIN", copy_target(t));
	else
		snprintf(sql, sizeof sql, "COPY %s (%s) FROM STDIN", tb->name, tb->cols);
	PQclear(pg_check(o, PQexec(o->conn, sql), sql));
	const size_t chunk = 1 << 20;
	for (size_t off = 0; off < tb->copy.len; off += chunk) {
		size_t n = tb->copy.len - off < chunk ? tb->copy.len - off : chunk;
		if (PQputCopyData(o->conn, tb->copy.data + off, (int)n) != 1)
			die("postgres COPY: %s", PQerrorMessage(o->conn));
	}
	if (PQputCopyEnd(o->conn, NULL) != 1)
		die("postgres COPY: %s", PQerrorMessage(o->conn));
	PGresult *r;
	while ((r = PQgetResult(o->conn))) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			die("postgres COPY into %s: %s", copy_target(t), PQerrorMessage(o->conn));
		PQclear(r);
	}
	kf_buf_reset(&tb->copy);
}

/* Ends a batch: SQLite commits, PostgreSQL sends what has accumulated. */
static void flush(struct out *o)
{
	if (!o->pg) {
		lite_exec(o, "COMMIT; BEGIN");
		return;
	}
	for (int t = 0; t < T_COUNT; t++)
		pg_copy_flush(o, (enum tbl)t);
}

static const char *const load_tables = "'customers', 'tickets', 'ticket_deadlines', "
				       "'ticket_events'";

static void save_and_drop_indexes(struct out *o)
{
	char sql[1024];
	char **names = NULL;
	if (o->pg)
		snprintf(sql, sizeof sql,
			 "SELECT indexdef, indexname FROM pg_indexes i WHERE schemaname = "
			 "current_schema() AND tablename IN (%s) AND NOT EXISTS (SELECT 1 FROM "
			 "pg_constraint c WHERE c.conname = i.indexname) ORDER BY indexname",
			 load_tables);
	else
		snprintf(sql, sizeof sql,
			 "SELECT sql, name FROM sqlite_master WHERE type = 'index' AND sql IS NOT "
			 "NULL AND tbl_name IN (%s) ORDER BY name",
			 load_tables);
	if (o->pg) {
		PGresult *r = pg_check(o, PQexec(o->conn, sql), sql);
		o->nindex = PQntuples(r);
		o->index_sql = kf_xcalloc((size_t)o->nindex + 1, sizeof(char *));
		names = kf_xcalloc((size_t)o->nindex + 1, sizeof(char *));
		for (int i = 0; i < o->nindex; i++) {
			o->index_sql[i] = kf_xstrdup(PQgetvalue(r, i, 0));
			names[i] = kf_xstrdup(PQgetvalue(r, i, 1));
		}
		PQclear(r);
	} else {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(o->lite, sql, -1, &st, NULL) != SQLITE_OK)
			die("sqlite: %s", sqlite3_errmsg(o->lite));
		int cap = 16;
		o->index_sql = kf_xcalloc((size_t)cap, sizeof(char *));
		names = kf_xcalloc((size_t)cap, sizeof(char *));
		while (sqlite3_step(st) == SQLITE_ROW) {
			if (o->nindex == cap) {
				cap *= 2;
				o->index_sql =
				    kf_xrealloc(o->index_sql, (size_t)cap * sizeof(char *));
				names = kf_xrealloc(names, (size_t)cap * sizeof(char *));
			}
			o->index_sql[o->nindex] =
			    kf_xstrdup((const char *)sqlite3_column_text(st, 0));
			names[o->nindex++] = kf_xstrdup((const char *)sqlite3_column_text(st, 1));
		}
		sqlite3_finalize(st);
	}
	for (int i = 0; i < o->nindex; i++) {
		snprintf(sql, sizeof sql, "DROP INDEX %s", names[i]);
		exec_sql(o, sql);
		free(names[i]);
	}
	free(names);
}

static void recreate_indexes(struct out *o)
{
	for (int i = 0; i < o->nindex; i++) {
		double t0 = mono();
		exec_sql(o, o->index_sql[i]);
		fprintf(stderr, "  index %.60s… %.1f s\n", o->index_sql[i], mono() - t0);
		free(o->index_sql[i]);
	}
	free(o->index_sql);
	o->index_sql = NULL;
	o->nindex = 0;
}

static void out_open(struct out *o, const char *url)
{
	if (!strncmp(url, "sqlite:", 7)) {
		if (sqlite3_open_v2(url + 7, &o->lite, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
			die("cannot open %s: %s", url + 7, sqlite3_errmsg(o->lite));
		return;
	}
	if (strncmp(url, "postgres://", 11) && strncmp(url, "postgresql://", 13))
		die("--db must be sqlite:PATH or postgres://…");
	o->pg = true;
	o->conn = PQconnectdb(url);
	if (PQstatus(o->conn) != CONNECTION_OK)
		die("cannot connect: %s", PQerrorMessage(o->conn));
}

/* Gets the store ready for a bulk load. */
static void load_begin(struct out *o)
{
	if (!o->pg) {
		/* No journal during the load: a failed load is thrown away anyway. */
		lite_exec(o, "PRAGMA journal_mode=DELETE; PRAGMA journal_mode=OFF; "
			     "PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF; "
			     "PRAGMA locking_mode=EXCLUSIVE; PRAGMA cache_size=-1000000; "
			     "PRAGMA temp_store=MEMORY");
		lite_exec(o, "BEGIN");
		save_and_drop_indexes(o);
		for (int t = 0; t < T_COUNT; t++) {
			struct table *tb = &tables[t];
			tb->st = lite_prepare_insert(o, tb->name, tb->cols, tb->ncols);
		}
		fts_start(o, sqlite3_db_filename(o->lite, "main"));
		return;
	}
	/* Foreign keys are right by construction here; checking a million
	 * references row by row would triple the load time. Needs a superuser
	 * (the bench cluster's postgres); without one the checks run. */
	PGresult *r = PQexec(o->conn, "SET session_replication_role = replica");
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fprintf(stderr, "gen_store: foreign keys stay checked (%s)",
			PQerrorMessage(o->conn));
	PQclear(r);
	pg_exec(o, "SET maintenance_work_mem = '1GB'");
	pg_exec(o, "SET synchronous_commit = off");
	pg_exec(o, "BEGIN");
	save_and_drop_indexes(o);
	for (int t = 0; t < T_COUNT; t++) {
		struct table *tb = &tables[t];
		char sql[1024];
		if (!tb->nsearch)
			continue;
		snprintf(
		    sql, sizeof sql,
		    "CREATE UNLOGGED TABLE %s AS SELECT %s FROM %s WITH NO DATA; ALTER TABLE %s "
		    "ADD COLUMN s_search TEXT",
		    copy_target((enum tbl)t), tb->cols, tb->name, copy_target((enum tbl)t));
		pg_exec(o, sql);
	}
	for (int t = 0; t < T_COUNT; t++)
		kf_buf_init(&tables[t].copy, 0);
}

/* Finishes the load: search columns (PostgreSQL), indexes, counters of ids,
 * statistics, and the store's normal journal. */
static void load_end(struct out *o)
{
	double t0 = mono();
	if (!o->pg) {
		for (int t = 0; t < T_COUNT; t++)
			sqlite3_finalize(tables[t].st);
		recreate_indexes(o);
		lite_exec(o, "COMMIT");
		fprintf(stderr, "  indexes %.1f s\n", mono() - t0);
		fts_finish(o);
		/* kefu itself never runs ANALYZE on SQLite, so the bench store
		 * has no sqlite_stat1 either: the planner sees what production
		 * sees. */
		lite_exec(o, "PRAGMA journal_mode=WAL");
		return;
	}
	flush(o);
	for (int t = 0; t < T_COUNT; t++) {
		struct table *tb = &tables[t];
		char sql[1024];
		if (!tb->nsearch)
			continue;
		snprintf(
		    sql, sizeof sql,
		    "INSERT INTO %s (%s, search) SELECT %s, CAST(s_search AS tsvector) FROM %s "
		    "ORDER BY id; DROP TABLE %s",
		    tb->name, tb->cols, tb->cols, copy_target((enum tbl)t),
		    copy_target((enum tbl)t));
		pg_exec(o, sql);
		fprintf(stderr, "  %s from staging %.1f s\n", tb->name, mono() - t0);
		t0 = mono();
	}
	recreate_indexes(o);
	fprintf(stderr, "  indexes %.1f s\n", mono() - t0);
	static const char *const seqs[] = {"teams", "users", "customers", "tickets",
					   "ticket_events"};
	for (size_t i = 0; i < sizeof seqs / sizeof seqs[0]; i++) {
		char sql[256];
		snprintf(sql, sizeof sql,
			 "SELECT setval(pg_get_serial_sequence('%s', 'id'), GREATEST((SELECT "
			 "MAX(id) FROM %s), 1))",
			 seqs[i], seqs[i]);
		pg_exec(o, sql);
	}
	pg_exec(o, "COMMIT");
	pg_exec(o, "RESET session_replication_role");
	/* What autovacuum would have done by now: statistics and the
	 * visibility map. */
	t0 = mono();
	pg_exec(o, "VACUUM ANALYZE");
	fprintf(stderr, "  vacuum analyze %.1f s\n", mono() - t0);
	for (int t = 0; t < T_COUNT; t++)
		kf_buf_release(&tables[t].copy);
}

/* ---- the people ---- */

struct staff {
	int64_t id, team;
	double activity; /* relative share of the tickets this person handles */
};

static void make_name(struct kf_buf *b)
{
	/* Rank-weighted surname: the first few cover most people. */
	int n = (int)(sizeof surnames / sizeof surnames[0]);
	int i = (int)((double)n * pow(u01(), 2.2));
	kf_buf_adds(b, surnames[i < n ? i : n - 1]);
	kf_buf_adds(b, PICK(given));
	if (chance(0.45))
		kf_buf_adds(b, PICK(given));
}

static void make_staff(struct out *o, const char *hash, int nagents, int nsup, int64_t now,
		       struct staff **agents_out, struct staff **sups_out)
{
	int nteams = (nagents + 9) / 10;
	if (nteams < 1)
		nteams = 1;
	int64_t team0 = query_int(o, "SELECT COALESCE(MAX(id), 0) FROM teams");
	int64_t user0 = query_int(o, "SELECT COALESCE(MAX(id), 0) FROM users");
	struct staff *agents = kf_xcalloc((size_t)nagents + 1, sizeof *agents);
	struct staff *sups = kf_xcalloc((size_t)nsup + 1, sizeof *sups);
	char sql[1024];
	struct kf_buf name;
	kf_buf_init(&name, 0);
	static const char *const team_names[] = {"一", "二", "三", "四", "五",
						 "六", "七", "八", "九", "十"};
	for (int t = 0; t < nteams; t++) {
		char tn[64];
		if (t < 10)
			snprintf(tn, sizeof tn, "压测%s组", team_names[t]);
		else
			snprintf(tn, sizeof tn, "压测%d组", t + 1);
		snprintf(sql, sizeof sql,
			 "INSERT INTO teams (id, name, created_at) VALUES (%" PRId64
			 ", '%s', %" PRId64 ")",
			 team0 + 1 + t, tn, (int64_t)(now - 800 * DAY));
		exec_sql(o, sql);
	}
	/* Agents carry a level; supervisors do not. */
	static const char *const levels[] = {"'junior'", "'intermediate'", "'intermediate'",
					     "'senior'", "'senior'",	   "'trainee'"};
	for (int i = 0; i < nagents + nsup; i++) {
		bool sup = i >= nagents;
		char login[64];
		if (sup)
			snprintf(login, sizeof login, "bench-sup-%02d", i - nagents + 1);
		else
			snprintf(login, sizeof login, "bench-agent-%02d", i + 1);
		kf_buf_reset(&name);
		make_name(&name);
		int64_t uid = user0 + 1 + i;
		int64_t team = team0 + 1 + (sup ? (i - nagents) % nteams : i % nteams);
		int64_t hired = now - between(60 * DAY, 2000 * DAY);
		char hired_on[11];
		kf_time_format_date(hired, hired_on);
		snprintf(sql, sizeof sql,
			 "INSERT INTO users (id, login, name, role, level, team_id, hired_on, "
			 "password_hash, active, created_at, updated_at, version) VALUES (%" PRId64
			 ", '%s', '%s', '%s', %s, %" PRId64 ", '%s', '%s', 1, %" PRId64 ", %" PRId64
			 ", 1)",
			 uid, login, name.data, sup ? "supervisor" : "agent",
			 sup ? "NULL" : levels[i % 6], team, hired_on, hash, hired, hired);
		exec_sql(o, sql);
		if (sup)
			sups[i - nagents] = (struct staff){uid, team, 1};
		else
			agents[i] = (struct staff){uid, team, 0.5 + u01()};
	}
	kf_buf_release(&name);
	*agents_out = agents;
	*sups_out = sups;
}

/* ---- customers ---- */

struct cust {
	char *name, *phone, *company;
	unsigned char grade; /* index into grades[] */
};
static const char *const grades[] = {"VIP", "A", "B", "C"};
static const int grade_w[] = {2, 10, 33, 55};

static void phone_digits(int64_t i, char out[16])
{
	/* An affine map mod 10^8 with a multiplier prime to 10 is a bijection:
	 * every customer gets a different number. */
	int64_t d = (i * 41592653LL + 12345678LL) % 100000000LL;
	snprintf(out, 16, "%s%08" PRId64, PICK(mobile_prefixes), d);
}

static struct cust *gen_customers(struct out *o, int64_t n, int64_t t_first, int64_t t_last,
				  int64_t now)
{
	struct cust *cs = kf_xcalloc((size_t)n + 1, sizeof *cs);
	struct kf_buf name, addr, company, email, phones, other;
	kf_buf_init(&name, 0);
	kf_buf_init(&addr, 0);
	kf_buf_init(&company, 0);
	kf_buf_init(&email, 0);
	kf_buf_init(&phones, 0);
	kf_buf_init(&other, 0);
	struct kf_arena a;
	for (int64_t id = 1; id <= n; id++) {
		kf_buf_reset(&name);
		kf_buf_reset(&addr);
		kf_buf_reset(&company);
		kf_buf_reset(&email);
		kf_buf_reset(&phones);
		kf_buf_reset(&other);
		make_name(&name);
		char phone[16], alt[16];
		phone_digits(id, phone);
		bool has_alt = chance(0.1);
		if (has_alt)
			phone_digits(id + n, alt);
		const char *city = PICK(cities);
		bool has_addr = chance(0.7);
		if (has_addr)
			kf_buf_addf(&addr, "%s市%s区%s路%d号%d栋%d室", city, PICK(districts),
				    PICK(roads), (int)between(1, 999), (int)between(1, 30),
				    (int)between(101, 2808));
		bool has_company = chance(0.25);
		if (has_company)
			kf_buf_addf(&company, "%s%s%s有限公司", city, PICK(company_words),
				    PICK(industries));
		bool has_email = chance(0.3);
		if (has_email)
			kf_buf_addf(&email, "%" PRId64 "@%s", between(10000000, 3999999999LL),
				    chance(0.6) ? "qq.com" : "163.com");
		int g = pickw(grade_w, 4);
		char birthday[11];
		bool has_birthday = chance(0.6);
		if (has_birthday)
			kf_time_format_date(now - between(18 * 365 * DAY, 75 * 365 * DAY),
					    birthday);
		int64_t created = t_first + (t_last - t_first) * (id - 1) / n;
		created += rint_((t_last - t_first) / n + 1);
		int64_t updated = created + (chance(0.3) ? rint_(now - created) : 0);
		bool callback = g <= 1 && chance(0.7);
		int64_t cb_at = now - between(HOUR, 60 * DAY);
		if (callback && cb_at < created)
			callback = false;
		const char *tag = g == 0 ? "[\"大客户\"]" : chance(0.08) ? "[\"老客户\"]" : "[]";

		/* The search entry of src/app/customers.c: name; phone digits and
		 * their last four; company and address. */
		kf_buf_addf(&phones, " %s %s", phone, phone + strlen(phone) - 4);
		if (has_alt)
			kf_buf_addf(&phones, " %s %s", alt, alt + strlen(alt) - 4);
		kf_buf_addf(&other, "%s %s", company.data, addr.data);
		kf_arena_init(&a);
		const char *search[3] = {kf_tokenize_join(name.data, false, 0, &a, NULL),
					 kf_tokenize_join(phones.data, false, 0, &a, NULL),
					 kf_tokenize_join(other.data, false, 0, &a, NULL)};
		struct fld f[16] = {FI(id),
				    FS(name.data),
				    FS(phone),
				    FS(has_alt ? alt : NULL),
				    FS(has_email ? email.data : NULL),
				    FS(has_addr ? addr.data : NULL),
				    FS(has_company ? company.data : NULL),
				    FS(grades[g]),
				    FS(has_birthday ? birthday : NULL),
				    FS(NULL),
				    FS(NULL),
				    FS(tag),
				    FOI(callback, cb_at),
				    FI(created),
				    FI(updated),
				    FI(updated > created ? 2 : 1)};
		put(o, T_CUSTOMERS, f, search);
		kf_arena_release(&a);
		cs[id].name = kf_xstrdup(name.data);
		cs[id].phone = kf_xstrdup(phone);
		cs[id].company = has_company ? kf_xstrdup(company.data) : NULL;
		cs[id].grade = (unsigned char)g;
		if (id % BATCH == 0)
			flush(o);
	}
	flush(o);
	kf_buf_release(&name);
	kf_buf_release(&addr);
	kf_buf_release(&company);
	kf_buf_release(&email);
	kf_buf_release(&phones);
	kf_buf_release(&other);
	return cs;
}

/* ---- tickets ---- */

struct gen {
	struct out *o;
	const struct kf_policy *policy;
	int64_t policy_version;
	int pause_pending; /* L-12, from the policy at registration (L-11) */
	int64_t now, t_first_customer, t_last_customer;
	struct cust *cs;
	int64_t ncust;
	struct staff *agents, *sups;
	int nagents, nsup;
	double agent_total;
	enum events_mode { EV_ALL, EV_CREATED, EV_NONE } events;
	int64_t next_ticket, next_event;
	/* counts, for the summary */
	int64_t by_status[KF_ST_COUNT], overdue, open;
	struct kf_buf subject, desc, detail, product, customer_text, deadlines, type_token;
};

static const int type_w[KF_TT_COUNT] = {11, 26, 14, 24, 5, 8, 12};
static const int channel_w[KF_CH_COUNT] = {46, 6, 2, 1, 18, 20, 7};
static const char *const *const subjects[KF_TT_COUNT] = {
    subj_complaint,  subj_inquiry, subj_query,	subj_repair,
    subj_suggestion, subj_help,	   subj_service};
static const int nsubjects[KF_TT_COUNT] = {
    (int)(sizeof subj_complaint / sizeof subj_complaint[0]),
    (int)(sizeof subj_inquiry / sizeof subj_inquiry[0]),
    (int)(sizeof subj_query / sizeof subj_query[0]),
    (int)(sizeof subj_repair / sizeof subj_repair[0]),
    (int)(sizeof subj_suggestion / sizeof subj_suggestion[0]),
    (int)(sizeof subj_help / sizeof subj_help[0]),
    (int)(sizeof subj_service / sizeof subj_service[0])};

static const struct staff *pick_agent(struct gen *g)
{
	double x = u01() * g->agent_total;
	for (int i = 0; i < g->nagents; i++) {
		if (x < g->agents[i].activity)
			return &g->agents[i];
		x -= g->agents[i].activity;
	}
	return &g->agents[g->nagents - 1];
}

static int64_t pick_customer(struct gen *g, int64_t t)
{
	/* Customers are registered in id order over time: only those known at
	 * t can call. Some call soon after registering, a small group calls
	 * often, the rest now and then. */
	int64_t span = g->t_last_customer - g->t_first_customer;
	int64_t known =
	    (int64_t)((double)g->ncust * (double)(t - g->t_first_customer) / (double)span);
	if (known < 1)
		known = 1;
	if (known > g->ncust)
		known = g->ncust;
	double r = u01();
	if (r < 0.3)
		return known - rint_(known < 3000 ? known : 3000);
	if (r < 0.45 && known >= 50)
		return 50 * (1 + rint_(known / 50));
	return 1 + rint_(known);
}

static void text_subject_desc(struct gen *g, enum kf_ticket_type type, enum kf_channel ch,
			      const struct product *pr, const char *fault, int64_t created)
{
	kf_buf_reset(&g->subject);
	kf_buf_reset(&g->desc);
	put_tpl(&g->subject, subjects[type][rint_(nsubjects[type])], pr, fault);
	struct kf_buf *d = &g->desc;
	kf_buf_adds(d, openers[ch]);
	int64_t bought = created - between(10 * DAY, 4 * 365 * DAY);
	int ymd = kf_time_local_ymd(bought);
	switch (rint_(4)) {
	case 0:
		kf_buf_addf(d, "%d月%d日在%s购买的%s", ymd / 100 % 100, ymd % 100, PICK(shops),
			    pr->name);
		break;
	case 1:
		kf_buf_addf(d, "去年在%s购买的%s", PICK(shops), pr->name);
		break;
	case 2:
		kf_buf_addf(d, "上个月安装的%s", pr->name);
		break;
	default:
		kf_buf_addf(d, "家里使用了%d年的%s", (int)between(2, 9), pr->name);
	}
	switch (type) {
	case KF_TT_REPAIR:
	case KF_TT_HELP:
	case KF_TT_SERVICE:
		kf_buf_addf(d, "%s出现%s的情况", PICK(since), fault);
		kf_buf_adds(d, chance(0.5) ? "，已自行断电重启无效。" : "。");
		break;
	case KF_TT_COMPLAINT:
		kf_buf_addf(d, "%s，", fault);
		kf_buf_adds(d, PICK(complaint_why));
		kf_buf_adds(d, "。");
		break;
	case KF_TT_INQUIRY:
		kf_buf_adds(d, "，");
		put_tpl(d, PICK(inquiry_what), pr, fault);
		kf_buf_adds(d, "。");
		break;
	case KF_TT_QUERY:
		kf_buf_adds(d, "，");
		kf_buf_adds(d, PICK(query_what));
		kf_buf_adds(d, "。");
		break;
	default:
		kf_buf_adds(d, "，");
		kf_buf_adds(d, PICK(suggestion_what));
		kf_buf_adds(d, "。");
	}
	if (chance(0.4))
		kf_buf_adds(d, PICK(details));
	if (type == KF_TT_COMPLAINT || (type == KF_TT_REPAIR && chance(0.15)))
		kf_buf_adds(d, emotions[rint_(type == KF_TT_COMPLAINT ? 5 : 2)]);
	if (type != KF_TT_SUGGESTION && type != KF_TT_QUERY && chance(0.7))
		kf_buf_adds(d, type == KF_TT_COMPLAINT && chance(0.35) ? "要求退货并全额退款。"
								       : PICK(requests));
	kf_buf_adds(d, PICK(actions));
	if (chance(0.3))
		kf_buf_adds(d, PICK(actions));
}

/* One moment in a ticket's life. */
struct step {
	int64_t at, actor;
	enum kf_status to; /* KF_ST_COUNT for a reply */
};

static void add_event(struct gen *g, int64_t ticket, int64_t at, int64_t actor, const char *kind,
		      const char *body, const char *detail)
{
	struct fld f[8] = {
	    FI(g->next_event++), FI(ticket), FI(at), FI(actor), FS(kind), FI(0), FS(body),
	    FS(detail)};
	put(g->o, T_EVENTS, f, NULL);
}

static void gen_ticket(struct gen *g, int64_t created, const char *number, enum kf_ticket_type type)
{
	struct out *o = g->o;
	int64_t id = g->next_ticket++;
	enum kf_channel ch = (enum kf_channel)pickw(channel_w, KF_CH_COUNT);
	int64_t cid = pick_customer(g, created);
	const struct cust *cu = &g->cs[cid];
	int pw[NPRODUCTS];
	for (int i = 0; i < NPRODUCTS; i++)
		pw[i] = products[i].weight;
	const struct product *pr = &products[pickw(pw, NPRODUCTS)];
	const char *fault = pr->faults[rint_(pr->nfaults)];
	text_subject_desc(g, type, ch, pr, fault, created);

	const struct staff *owner = pick_agent(g);
	const struct staff *assignee = owner;
	if (chance(0.3))
		assignee = pick_agent(g);
	int requested = chance(0.12) ? KF_PRI_URGENT : chance(0.03) ? KF_PRI_CRITICAL : -1;
	enum kf_priority pri = kf_ticket_priority(g->policy, requested, grades[cu->grade], NULL);

	/* The life of the ticket, in order; what lies after now has not
	 * happened yet. */
	struct step steps[16];
	int ns = 0;
	int64_t t = created;
	int64_t t_assign = t + (chance(0.7) ? rint_(2 * MINUTE) : expo(2 * HOUR));
	const struct staff *assigner = chance(0.8) ? assignee : &g->sups[rint_(g->nsup)];
	steps[ns++] = (struct step){t_assign, assigner->id, KF_ST_ASSIGNED};
	t = t_assign + expo(30 * MINUTE);
	steps[ns++] = (struct step){t, assignee->id, KF_ST_IN_PROGRESS};
	bool quick = type == KF_TT_INQUIRY || type == KF_TT_QUERY;
	int64_t t_reply = t + (quick ? expo(10 * MINUTE) : expo(4 * HOUR));
	if (chance(0.06))
		t_reply = created + between(24 * HOUR, 60 * HOUR); /* L-6 missed */
	if (t_reply < t)
		t_reply = t + MINUTE;
	steps[ns++] = (struct step){t_reply, assignee->id, KF_ST_COUNT};
	t = t_reply;
	bool slow = type == KF_TT_REPAIR || type == KF_TT_COMPLAINT || type == KF_TT_SERVICE;
	if (slow && chance(0.25)) {
		t += expo(3 * HOUR);
		steps[ns++] = (struct step){t, assignee->id, KF_ST_PENDING_CUSTOMER};
		t += expo(DAY);
		steps[ns++] = (struct step){t, assignee->id, KF_ST_IN_PROGRESS};
	}
	bool stuck = chance(0.006);
	int64_t t_close_first = 0, t_resolve_first = 0;
	if (!stuck) {
		switch (type) {
		case KF_TT_INQUIRY:
		case KF_TT_QUERY:
			t += expo(30 * MINUTE);
			break;
		case KF_TT_HELP:
			t += expo(6 * HOUR);
			break;
		case KF_TT_REPAIR:
		case KF_TT_SERVICE:
			t += 12 * HOUR + expo(2 * DAY);
			break;
		case KF_TT_COMPLAINT:
			t += DAY + expo(60 * HOUR);
			break;
		default:
			t += expo(3 * DAY);
		}
		steps[ns++] = (struct step){t, assignee->id, KF_ST_RESOLVED};
		t_resolve_first = t;
		t += 12 * HOUR + expo(2 * DAY);
		steps[ns++] = (struct step){t, assignee->id, KF_ST_CLOSED};
		t_close_first = t;
		if (chance(0.03)) {
			t += expo(2 * DAY);
			steps[ns++] = (struct step){t, assignee->id, KF_ST_REOPENED};
			t += expo(HOUR);
			steps[ns++] = (struct step){t, assignee->id, KF_ST_IN_PROGRESS};
			t += expo(2 * DAY);
			steps[ns++] = (struct step){t, assignee->id, KF_ST_RESOLVED};
			t += expo(2 * DAY);
			steps[ns++] = (struct step){t, assignee->id, KF_ST_CLOSED};
		}
	}
	/* State now. */
	enum kf_status st = KF_ST_NEW;
	int64_t updated = created, resolved_at = 0, closed_at = 0, version = 1, replied = 0;
	int64_t pending_since = 0;
	int done = 0;
	for (; done < ns && steps[done].at < g->now; done++) {
		const struct step *s = &steps[done];
		updated = s->at;
		if (s->to == KF_ST_COUNT) {
			replied = s->at;
			continue;
		}
		st = s->to;
		pending_since = st == KF_ST_PENDING_CUSTOMER ? s->at : 0;
		version++;
		if (st == KF_ST_RESOLVED)
			resolved_at = s->at;
		if (st == KF_ST_CLOSED)
			closed_at = s->at;
		if (st == KF_ST_REOPENED)
			resolved_at = closed_at = 0;
	}
	bool has_assignee = st != KF_ST_NEW;

	/* Deadlines (L-11) and when the history met them. */
	struct kf_deadline dl[KF_DL_COUNT];
	int ndl = kf_ticket_deadlines(g->policy, type, -1, created, kf_time_local_zone(), dl);
	int64_t next_due = 0;
	bool overdue = false;
	kf_buf_reset(&g->deadlines);
	for (int i = 0; i < ndl; i++) {
		int64_t met = 0;
		switch (dl[i].kind) {
		case KF_DL_REPLY:
			met = replied;
			break;
		case KF_DL_CLOSE:
			met = t_close_first;
			break;
		case KF_DL_CALLBACK:
			met = created + between(5 * HOUR, 58 * HOUR);
			break;
		case KF_DL_REPORT:
			met = created + between(DAY, 86 * HOUR);
			break;
		case KF_DL_DISPATCH:
			met = t_assign + between(30 * MINUTE, 30 * HOUR);
			break;
		default:
			met = t_resolve_first;
		}
		if (stuck && dl[i].kind != KF_DL_REPLY && dl[i].kind != KF_DL_DISPATCH)
			met = 0;
		if (t_close_first && met > t_close_first)
			met = t_close_first;
		if (met >= g->now || st == KF_ST_NEW)
			met = 0;
		/* The scanner flags a deadline within its interval of passing. */
		int64_t flagged = 0;
		if ((met && met > dl[i].due_at) || (!met && dl[i].due_at <= g->now))
			flagged = dl[i].due_at + between(1000, 10000);
		if (flagged > g->now)
			flagged = g->now - 1;
		if (!met) {
			if (!next_due || dl[i].due_at < next_due)
				next_due = dl[i].due_at;
			if (flagged)
				overdue = true;
		}
		struct fld f[5] = {FI(id), FS(kf_deadline_kind_name(dl[i].kind)), FI(dl[i].due_at),
				   FOI(met, met), FOI(flagged, flagged)};
		put(o, T_DEADLINES, f, NULL);
		/* The ticket row's copy of its deadlines (migration 018). */
		struct kf_ticket_deadline d = {id, kf_deadline_kind_name(dl[i].kind), dl[i].due_at,
					       met, flagged};
		kf_store_deadlines_text_add(&g->deadlines, &d);
	}

	/* Product, service class, escalation, contact. */
	kf_buf_reset(&g->product);
	bool has_product = type == KF_TT_REPAIR || type == KF_TT_SERVICE ||
			   ((type == KF_TT_COMPLAINT || type == KF_TT_HELP) && chance(0.6));
	if (has_product) {
		char on[11];
		kf_time_format_date(created - between(10 * DAY, 4 * 365 * DAY), on);
		kf_buf_addf(&g->product,
			    "{\"model\":\"%s\",\"purchased_at\":\"%s\",\"purchased_on\":\"%s\","
			    "\"spec\":\"%s\"}",
			    pr->models[rint_(pr->nmodels)], PICK(shops), on, pr->name);
	}
	const char *service_class = NULL;
	if (type == KF_TT_REPAIR || type == KF_TT_SERVICE) {
		static const char *const sc[] = {"paid", "contract", "free", "free"};
		service_class = PICK(sc);
	}
	const char *escalated = NULL;
	if (type == KF_TT_COMPLAINT && st != KF_ST_NEW && chance(0.09))
		escalated = chance(0.85) ? "supervisor" : "manager";
	const char *contact = NULL;
	if (ch == KF_CH_PHONE || chance(0.3))
		contact = cu->phone;

	/* The search entry of src/app/tickets.c: number, subject, description,
	 * and the customer's name, phone, its last four digits and company. */
	struct kf_arena a;
	kf_arena_init(&a);
	kf_buf_reset(&g->customer_text);
	size_t pl = strlen(cu->phone);
	kf_buf_addf(&g->customer_text, "%s %s %s %s", cu->name, cu->phone,
		    pl > 4 ? cu->phone + pl - 4 : "", cu->company ? cu->company : "");
	kf_buf_reset(&g->type_token);
	kf_store_search_type_token(kf_ticket_type_name(type), &g->type_token);
	const char *search[5] = {kf_tokenize_join(number, false, 0, &a, NULL),
				 kf_tokenize_join(g->subject.data, false, 0, &a, NULL),
				 kf_tokenize_join(g->desc.data, false, 0, &a, NULL),
				 kf_tokenize_join(g->customer_text.data, false, 0, &a, NULL),
				 g->type_token.data};
	struct fld f[27] = {FI(id),
			    FS(number),
			    FS(kf_ticket_type_name(type)),
			    FS(kf_channel_name(ch)),
			    FS(contact),
			    FS(g->subject.data),
			    FS(g->desc.data),
			    FI(cid),
			    FS(kf_status_name(st)),
			    FS(kf_priority_name(pri)),
			    FI(owner->id),
			    FOI(has_assignee, assignee->id),
			    FS(escalated),
			    FS(has_product ? g->product.data : NULL),
			    FS(service_class),
			    FI(overdue ? 1 : 0),
			    FOI(next_due, next_due),
			    FI(g->policy_version),
			    FI(owner->id),
			    FI(created),
			    FI(updated),
			    FOI(resolved_at, resolved_at),
			    FOI(closed_at, closed_at),
			    FI(version),
			    FI(g->pause_pending),
			    FOI(pending_since, pending_since),
			    FS(g->deadlines.data)};
	put(o, T_TICKETS, f, search);
	kf_arena_release(&a);

	g->by_status[st]++;
	g->overdue += overdue;
	g->open += kf_ticket_status_open(st);

	/* Timeline, as the use cases write it. */
	if (g->events == EV_NONE)
		return;
	kf_buf_reset(&g->detail);
	kf_buf_addf(&g->detail,
		    "{\"channel\":\"%s\",\"customer_id\":\"%" PRId64
		    "\",\"priority\":\"%s\",\"status\":\"new\",\"type\":\"%s\"}",
		    kf_channel_name(ch), cid, kf_priority_name(pri), kf_ticket_type_name(type));
	add_event(g, id, created, owner->id, "created", NULL, g->detail.data);
	if (g->events == EV_CREATED)
		return;
	enum kf_status from = KF_ST_NEW;
	for (int i = 0; i < done; i++) {
		const struct step *s = &steps[i];
		if (s->to == KF_ST_COUNT) {
			add_event(g, id, s->at, s->actor, "reply", PICK(replies), "{}");
			continue;
		}
		kf_buf_reset(&g->detail);
		if (s->to == KF_ST_ASSIGNED)
			kf_buf_addf(&g->detail,
				    "{\"assignee_id\":{\"after\":\"%" PRId64
				    "\",\"before\":null},\"status\":{\"after\":\"assigned\","
				    "\"before\":\"new\"}}",
				    assignee->id);
		else
			kf_buf_addf(&g->detail, "{\"status\":{\"after\":\"%s\",\"before\":\"%s\"}}",
				    kf_status_name(s->to), kf_status_name(from));
		add_event(g, id, s->at, s->actor, "status_changed", NULL, g->detail.data);
		from = s->to;
	}
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Relative ticket volume by local hour of the day. */
static const int hour_w[24] = {1,  1,  1,  1,  1,  2,  4,  8,  14, 18, 20, 19,
			       15, 16, 19, 19, 17, 15, 13, 12, 11, 8,  5,  2};

static void gen_tickets(struct gen *g, int64_t ntickets, int days)
{
	/* Local days from `days` ago up to today; today only up to now. */
	int64_t *mid = kf_xcalloc((size_t)days + 2, sizeof *mid);
	double *w = kf_xcalloc((size_t)days + 1, sizeof *w);
	char date[11];
	double total = 0;
	int hw_total = 0;
	for (int h = 0; h < 24; h++)
		hw_total += hour_w[h];
	for (int d = 0; d <= days; d++) {
		int64_t t = g->now - (int64_t)(days - d) * DAY;
		kf_time_format_date(t, date);
		kf_time_parse_date(date, &mid[d]);
	}
	mid[days + 1] = mid[days] + DAY;
	for (int d = 0; d <= days; d++) {
		/* Growth over the period, quieter weekends, a summer peak (air
		 * conditioners), day-to-day noise. */
		time_t sec = (time_t)((mid[d] + 12 * HOUR) / 1000);
		struct tm tm;
		localtime_r(&sec, &tm);
		double x =
		    (0.7 + 0.6 * d / days) * (tm.tm_wday == 0 || tm.tm_wday == 6 ? 0.8 : 1.0);
		if (tm.tm_mon >= 5 && tm.tm_mon <= 7)
			x *= 1.3;
		x *= 0.85 + 0.3 * u01();
		if (d == days) {
			/* Only the hours of today that have passed. */
			time_t nsec = (time_t)(g->now / 1000);
			localtime_r(&nsec, &tm);
			int past = 0;
			for (int h = 0; h < tm.tm_hour; h++)
				past += hour_w[h];
			x *= (double)past / hw_total;
		}
		w[d] = x;
		total += x;
	}
	int64_t *times = NULL;
	size_t cap = 0;
	int64_t made = 0;
	double acc = 0;
	int64_t counters[KF_TT_COUNT];
	const char *prefix[KF_TT_COUNT];
	for (int t = 0; t < KF_TT_COUNT; t++)
		prefix[t] = kf_ticket_prefix(g->policy, (enum kf_ticket_type)t);
	int64_t last_flush = 0;
	for (int d = 0; d <= days; d++) {
		acc += w[d] / total * (double)ntickets;
		int64_t n = (int64_t)(acc + 0.5) - made;
		if (d == days)
			n = ntickets - made;
		if (n <= 0)
			continue;
		if ((size_t)n > cap) {
			cap = (size_t)n * 2;
			times = kf_xrealloc(times, cap * sizeof *times);
		}
		int64_t lo = mid[d], hi = d == days ? g->now : mid[d + 1];
		for (int64_t i = 0; i < n; i++) {
			int64_t at = 0;
			for (int tries = 0; tries < 20; tries++) {
				at = mid[d] + pickw(hour_w, 24) * HOUR + rint_(HOUR);
				if (at >= lo && at < hi)
					break;
			}
			if (at < lo || at >= hi)
				at = lo + rint_(hi - lo);
			times[i] = at;
		}
		qsort(times, (size_t)n, sizeof *times, cmp_i64);
		memset(counters, 0, sizeof counters);
		int ymd = kf_time_local_ymd(mid[d] + 12 * HOUR);
		for (int64_t i = 0; i < n; i++) {
			enum kf_ticket_type type = (enum kf_ticket_type)pickw(type_w, KF_TT_COUNT);
			char number[32];
			kf_ticket_number(prefix[type], ymd, ++counters[type], number);
			gen_ticket(g, times[i], number, type);
		}
		for (int t = 0; t < KF_TT_COUNT; t++) {
			if (!counters[t])
				continue;
			struct fld f[3] = {FS(prefix[t]), FI(ymd), FI(counters[t])};
			put(g->o, T_COUNTERS, f, NULL);
		}
		made += n;
		if (made - last_flush >= BATCH || d == days) {
			flush(g->o);
			last_flush = made;
			fprintf(stderr, "\r  tickets %" PRId64 " / %" PRId64, made, ntickets);
		}
	}
	fputc('\n', stderr);
	free(times);
	free(mid);
	free(w);
}

/* ---- main ---- */

static void usage(void)
{
	fprintf(stderr,
		"usage: gen_store --db URL [--customers N] [--tickets N] [--seed S] [--days D]\n"
		"                 [--agents N] [--supervisors N] [--events all|created|none]\n"
		"                 [--password P]\n"
		"Fills a store made by `kefu init --db URL` (no customers or tickets yet).\n"
		"Defaults: 200000 customers, 1000000 tickets, seed 1, 730 days, 50 agents,\n"
		"5 supervisors, events all, password Bench-passw0rd-2026.\n"
		"Agents sign in as bench-agent-01 …, supervisors as bench-sup-01 ….\n");
	exit(2);
}

static int64_t num_arg(const char *s, int64_t lo, int64_t hi, const char *name)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || errno || v < lo || v > hi)
		die("%s must be %" PRId64 " to %" PRId64, name, lo, hi);
	return v;
}

int main(int argc, char **argv)
{
	const char *url = NULL, *password = "Bench-passw0rd-2026";
	int64_t ncust = 200000, ntickets = 1000000, seed = 1;
	int days = 730, nagents = 50, nsup = 5;
	enum events_mode events = EV_ALL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			usage();
		if (!strcmp(a, "--db"))
			url = v;
		else if (!strcmp(a, "--customers"))
			ncust = num_arg(v, 1, 100000000, a);
		else if (!strcmp(a, "--tickets"))
			ntickets = num_arg(v, 0, 1000000000, a);
		else if (!strcmp(a, "--seed"))
			seed = num_arg(v, 0, INT64_MAX, a);
		else if (!strcmp(a, "--days"))
			days = (int)num_arg(v, 1, 3650, a);
		else if (!strcmp(a, "--agents"))
			nagents = (int)num_arg(v, 1, 999, a);
		else if (!strcmp(a, "--supervisors"))
			nsup = (int)num_arg(v, 1, 99, a);
		else if (!strcmp(a, "--password"))
			password = v;
		else if (!strcmp(a, "--events"))
			events = !strcmp(v, "all")	 ? EV_ALL
				 : !strcmp(v, "created") ? EV_CREATED
				 : !strcmp(v, "none")
				     ? EV_NONE
				     : (die("--events: all, created or none"), EV_NONE);
		else
			usage();
		i++;
	}
	if (!url)
		usage();
	uint64_t sm = (uint64_t)seed;
	for (int i = 0; i < 4; i++)
		rs[i] = splitmix(&sm);
	if (kf_crypto_init())
		die("libsodium failed to start");

	double t_start = mono();
	struct out o = {0};
	out_open(&o, url);
	if (query_int(&o, "SELECT COUNT(*) FROM tickets") ||
	    query_int(&o, "SELECT COUNT(*) FROM customers"))
		die("the store already has customers or tickets: start from `kefu init` on a new "
		    "one");

	/* The policy in force, for prefixes, priorities, deadlines and the time
	 * zone of the T-4 local days. */
	char *doc = query_text(&o, "SELECT document FROM policy_versions ORDER BY "
				   "effective_from DESC, version DESC LIMIT 1");
	int64_t pv = query_int(&o, "SELECT version FROM policy_versions ORDER BY "
				   "effective_from DESC, version DESC LIMIT 1");
	if (!doc)
		die("the store has no policy: run `kefu init --db URL` first");
	struct kf_policy *policy;
	struct kf_err err = {0};
	if (kf_policy_parse(doc, strlen(doc), &policy, &err))
		die("the store's policy does not parse: %s", err.message);
	free(doc);
	if (kf_time_set_zone(kf_policy_str(policy, "timezone")))
		die("unknown time zone %s", kf_policy_str(policy, "timezone"));

	int64_t now = kf_time_now_ms();
	int64_t t_first = now - (int64_t)days * DAY;
	struct gen g = {.o = &o,
			.policy = policy,
			.policy_version = pv,
			.pause_pending =
			    kf_policy_bool(policy, "deadlines.l12_pause_pending_customer") ? 1 : 0,
			.now = now,
			/* Customers known before the period and joining during it. */
			.t_first_customer = t_first - 365 * DAY,
			.t_last_customer = now - DAY,
			.ncust = ncust,
			.nagents = nagents,
			.nsup = nsup,
			.events = events,
			.next_ticket = 1,
			.next_event = 1};
	kf_buf_init(&g.subject, 0);
	kf_buf_init(&g.desc, 0);
	kf_buf_init(&g.detail, 0);
	kf_buf_init(&g.product, 0);
	kf_buf_init(&g.customer_text, 0);
	kf_buf_init(&g.deadlines, 0);
	kf_buf_init(&g.type_token, 0);

	load_begin(&o);
	/* One argon2id hash for everyone: the bench signs in with it. */
	char hash[256];
	if (kf_crypto_password_hash(password, hash, sizeof hash))
		die("password hashing failed");
	make_staff(&o, hash, nagents, nsup, now, &g.agents, &g.sups);
	for (int i = 0; i < nagents; i++)
		g.agent_total += g.agents[i].activity;
	double t0 = mono();
	g.cs = gen_customers(&o, ncust, g.t_first_customer, g.t_last_customer, now);
	fprintf(stderr, "  customers %" PRId64 " in %.1f s\n", ncust, mono() - t0);
	t0 = mono();
	gen_tickets(&g, ntickets, days);
	fprintf(stderr,
		"  tickets %" PRId64 " in %.1f s (%" PRId64 " deadlines, %" PRId64 " events)\n",
		ntickets, mono() - t0, tables[T_DEADLINES].rows, tables[T_EVENTS].rows);
	t0 = mono();
	load_end(&o);
	fprintf(stderr, "  finishing %.1f s\n", mono() - t0);

	printf("store: %s\n", url);
	printf("generated in %.1f s: %" PRId64 " customers, %" PRId64 " tickets, %" PRId64
	       " deadlines, %" PRId64 " events, %d agents, %d supervisors (seed %" PRId64 ")\n",
	       mono() - t_start, ncust, ntickets, tables[T_DEADLINES].rows, tables[T_EVENTS].rows,
	       nagents, nsup, seed);
	printf("tickets open %" PRId64 ", overdue %" PRId64 ";", g.open, g.overdue);
	for (int s = 0; s < KF_ST_COUNT; s++)
		printf(" %s %" PRId64, kf_status_name((enum kf_status)s), g.by_status[s]);
	printf("\nsign in as bench-agent-01 … bench-agent-%02d, bench-sup-01 … bench-sup-%02d\n",
	       nagents, nsup);

	if (o.pg)
		PQfinish(o.conn);
	else
		sqlite3_close(o.lite);
	for (int64_t i = 1; i <= ncust; i++) {
		free(g.cs[i].name);
		free(g.cs[i].phone);
		free(g.cs[i].company);
	}
	free(g.cs);
	free(g.agents);
	free(g.sups);
	kf_buf_release(&g.subject);
	kf_buf_release(&g.desc);
	kf_buf_release(&g.detail);
	kf_buf_release(&g.product);
	kf_buf_release(&g.customer_text);
	kf_buf_release(&g.deadlines);
	kf_buf_release(&g.type_token);
	kf_policy_unref(policy);
	return 0;
}
