/* A fictional department for trying kefu out: two teams, the whole chain of
 * command, twelve agents across every level, two technicians, 200
 * customers with Chinese names and the requests of the last day and a half. Everything is made
 * through the same use cases as real data (so it is audited), and deterministically. */
#include <stdio.h>
#include <string.h>
#include "app/app.h"
#include "store/customers.h"

const char kf_demo_password[] = "Kefu-demo-2026";

struct person {
	const char *login, *name, *role, *level;
	int team; /* 0 none, 1 or 2 */
	const char *hired_on;
};

static const struct person people[] = {
    {"admin", "郑磊", "admin", NULL, 0, "2021-03-01"},
    {"gm", "周文华", "gm", NULL, 0, "2015-06-01"},
    {"vp", "陈志强", "vp", NULL, 0, "2017-09-01"},
    {"manager", "王建国", "manager", NULL, 0, "2018-02-15"},
    {"supervisor", "李秀英", "supervisor", NULL, 0, "2019-04-01"},
    {"lead1", "张伟", "team_lead", "senior", 1, "2020-05-10"},
    {"lead2", "刘洋", "team_lead", "senior", 2, "2020-07-20"},
    {"agent01", "杨静", "agent", "reserve_supervisor", 1, "2021-01-04"},
    {"agent02", "黄磊", "agent", "senior", 1, "2021-08-16"},
    {"agent03", "赵敏", "agent", "senior", 2, "2022-03-01"},
    {"agent04", "吴婷", "agent", "intermediate", 1, "2022-09-12"},
    {"agent05", "孙浩", "agent", "intermediate", 2, "2023-02-20"},
    {"agent06", "周丽", "agent", "intermediate", 2, "2023-06-05"},
    {"agent07", "徐强", "agent", "junior", 1, "2024-03-18"},
    {"agent08", "朱晓燕", "agent", "junior", 2, "2024-07-01"},
    {"agent09", "胡军", "agent", "junior", 1, "2025-01-06"},
    {"agent10", "郭佳", "agent", "senior", 2, "2021-11-22"},
    {"agent11", "何雪", "agent", "trainee", 1, "2026-11-02"},
    {"agent12", "林峰", "agent", "trainee", 2, "2026-11-09"},
    {"tech1", "马师傅", "technician", NULL, 0, "2019-10-08"},
    {"tech2", "罗师傅", "technician", NULL, 0, "2022-05-16"},
    {"analyst", "高琳", "analyst", NULL, 0, "2023-09-01"},
};

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴",
				       "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高",
				       "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩",
				       "冯", "邓", "曹", "彭", "曾", "萧", "田", "董", "潘"};
static const char *const given[] = {"伟",   "芳",   "娜",   "敏",   "静",   "丽",   "强",   "磊",
				    "军",   "洋",   "勇",   "艳",   "杰",   "娟",   "涛",   "明",
				    "超",   "秀兰", "霞",   "平",   "刚",   "桂英", "建华", "文",
				    "晨",   "欣怡", "子涵", "浩然", "雨桐", "思远", "佳怡", "宇航",
				    "梓萱", "俊杰", "晓东", "海燕", "国庆", "志刚", "丹",   "玉兰"};
static const char *const cities[] = {
    "上海市浦东新区张杨路", "北京市朝阳区建国路",   "广州市天河区体育西路", "深圳市南山区科技园路",
    "杭州市西湖区文三路",   "成都市武侯区人民南路", "南京市鼓楼区中山北路", "武汉市江汉区解放大道"};
static const char *const companies[] = {"华东电器有限公司", "恒通物流",	    "新世纪商贸",
					"宏达科技",	    "锦江酒店管理", "瑞丰超市"};

/* A small deterministic generator, so that every demo load is the same. */
static uint32_t next_rand(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* The requests of the last day and a half, registered at their own instants
 * by the agents who took them, so that the console opens on queues with
 * tickets in every state, some near their deadlines and some past them (the
 * server's scanner marks those overdue when it starts). */
struct demo_ticket {
	const char *agent, *type, *channel, *subject, *description;
	int minutes_ago;
	const char *until; /* the last state it is moved to */
};

static const struct demo_ticket demo_tickets[] = {
    {"agent01", "complaint", "phone", "空调漏水，要求退货",
     "客户反映上周购买的挂式空调室内机漏水，地板被泡，要求退货并赔偿地板损失。", 2100,
     "in_progress"},
    {"agent01", "repair", "phone", "热水器不加热", "燃气热水器打火后不出热水，已自行断电重启无效。",
     1500, "pending_customer"},
    {"agent01", "inquiry", "chat", "会员积分如何兑换", "客户询问会员积分能否兑换安装服务。", 95,
     "resolved"},
    {"agent02", "repair", "web", "洗衣机脱水噪音大", "滚筒洗衣机脱水时噪音很大，机身晃动。", 1380,
     "in_progress"},
    {"agent02", "complaint", "phone", "安装师傅迟到两小时",
     "预约上午九点安装，师傅十一点才到，客户不满。", 600, "assigned"},
    {"agent02", "query", "phone", "查询维修进度", "客户查询上周报修的冰箱维修进度。", 40, "new"},
    {"agent03", "repair", "phone", "冰箱不制冷", "双门冰箱冷藏室不制冷，冷冻室正常。", 1700,
     "in_progress"},
    {"agent03", "suggestion", "web", "希望增加晚间上门时段",
     "客户建议增加晚上七点以后的上门服务时段。", 300, "closed"},
    {"agent04", "inquiry", "chat", "空调清洗收费标准", "客户询问挂机和柜机清洗的收费标准。", 120,
     "in_progress"},
    {"agent04", "repair", "phone", "油烟机吸力变小", "油烟机使用两年，近期吸力明显变小。", 1000,
     "assigned"},
    {"agent05", "complaint", "letter", "退货退款迟迟未到账",
     "退货已寄回十天，退款仍未到账，要求尽快处理。", 1900, "pending_customer"},
    {"agent05", "help", "phone", "遥控器配对方法", "新换的遥控器无法控制空调，询问配对方法。", 30,
     "resolved"},
    {"agent06", "service", "visit", "上门安装净水器", "客户新购净水器，预约本周末上门安装。", 420,
     "in_progress"},
    {"agent06", "repair", "phone", "电视无法开机", "液晶电视指示灯亮但无法开机。", 15, "new"},
    {"agent07", "inquiry", "web", "延保服务怎么购买", "客户询问空调延保服务的价格和购买方式。", 200,
     "resolved"},
    {"agent08", "repair", "phone", "燃气灶打不着火", "燃气灶左侧灶眼打不着火，右侧正常。", 1250,
     "in_progress"},
    {"agent09", "query", "chat", "发票开具进度", "客户查询电子发票何时开具。", 60, "in_progress"},
    {"agent10", "complaint", "phone", "客服电话长时间无人接听",
     "客户反映昨天多次拨打客服电话无人接听。", 800, "in_progress"},
};

/* Acts as the demo person login from now on. */
static int act_as(struct kf_ctx *c, struct kf_db *db, const char *login, struct kf_err *err)
{
	struct kf_user u;
	int rc = kf_store_user_by_login(db, login, c->arena, &u, err);
	if (rc)
		return rc;
	c->actor = (struct kf_actor){.user_id = u.id,
				     .login = u.login,
				     .name = u.name,
				     .role = (enum kf_role)kf_role_parse(u.role),
				     .level = u.level,
				     .team_id = u.team_id,
				     .user = u};
	return 0;
}

static int demo_tickets_load(struct kf_ctx *c, struct kf_db *db, const int64_t *customers,
			     int ncustomers, struct kf_err *err)
{
	static const char *const path[] = {"assigned", "in_progress", "pending_customer",
					   "resolved", "closed"};
	int64_t now = c->now;
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof demo_tickets / sizeof *demo_tickets; i++) {
		const struct demo_ticket *d = &demo_tickets[i];
		struct kf_ticket_view v;
		struct kf_ticket_input in = {.type = d->type,
					     .channel = d->channel,
					     .subject = d->subject,
					     .description = d->description,
					     .customer_id =
						 customers[(i * 37) % (size_t)ncustomers],
					     .has_customer_id = true};
		c->now = now - (int64_t)d->minutes_ago * 60000;
		if ((rc = act_as(c, db, d->agent, err)) ||
		    (rc = kf_app_ticket_register(c, &in, &v, err)))
			break;
		for (size_t k = 0; !rc && strcmp(d->until, "new") && k < sizeof path / sizeof *path;
		     k++) {
			/* Straight from in progress to resolved unless it waits. */
			if (!strcmp(path[k], "pending_customer") &&
			    strcmp(d->until, "pending_customer"))
				continue;
			c->now += 5 * 60000;
			if ((rc = kf_app_ticket_transition(c, v.t.id, path[k], 0, NULL, &v, err)))
				break;
			if (!strcmp(path[k], "in_progress")) {
				struct kf_ticket_event e;
				c->now += 3 * 60000;
				rc = kf_app_ticket_entry(c, v.t.id, "reply",
							 "您好，您反映的问题已收到，我们正在处理，"
							 "会尽快给您答复。",
							 &e, err);
			}
			if (!strcmp(path[k], d->until))
				break;
		}
	}
	c->now = now;
	c->actor = (struct kf_actor){.is_operator = true};
	return rc;
}

int kf_app_demo_load(struct kf_ctx *c, bool *already, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_user u;
	struct kf_team t1, t2;
	int rc;
	*already = false;
	if ((rc = kf_ctx_db(c, &db, err)))
		return rc;
	rc = kf_store_user_by_login(db, "manager", c->arena, &u, err);
	if (rc == 0) {
		*already = true;
		return 0;
	}
	if (rc != KF_ENOTFOUND)
		return rc;
	if ((rc = kf_app_team_create(c, "客服一组", &t1, err)) ||
	    (rc = kf_app_team_create(c, "客服二组", &t2, err)))
		return rc;
	for (size_t i = 0; i < sizeof people / sizeof *people; i++) {
		const struct person *p = &people[i];
		if (!strcmp(p->login, "admin") &&
		    kf_store_user_by_login(db, "admin", c->arena, &u, err) == 0)
			continue; /* an admin made by hand stays as it is */
		struct kf_user_input in = {
		    .login = p->login,
		    .name = p->name,
		    .password = kf_demo_password,
		    .role = p->role,
		    .level = p->level,
		    .has_level = p->level != NULL,
		    .team_id = p->team == 1   ? t1.id
			       : p->team == 2 ? t2.id
					      : 0,
		    .has_team = p->team != 0,
		    .hired_on = p->hired_on,
		    .has_hired_on = true,
		};
		if ((rc = kf_app_user_create(c, &in, &u, err)))
			return rc;
	}
	uint32_t seed = 20261125;
	int64_t customers[200];
	if ((rc = kf_db_begin(db, err)))
		return rc;
	for (int i = 0; i < 200; i++) {
		char name[32], phone[16], email[48], address[128], birthday[11];
		const char *sur = surnames[next_rand(&seed) % (sizeof surnames / sizeof *surnames)];
		const char *giv = given[next_rand(&seed) % (sizeof given / sizeof *given)];
		snprintf(name, sizeof name, "%s%s", sur, giv);
		static const char *const prefixes[] = {"138", "139", "137", "136", "135", "150",
						       "151", "158", "186", "188", "177", "199"};
		snprintf(phone, sizeof phone, "%s%08u", prefixes[next_rand(&seed) % 12],
			 next_rand(&seed) % 100000000u);
		snprintf(email, sizeof email, "customer%03d@example.cn", i + 1);
		snprintf(address, sizeof address, "%s%u号", cities[next_rand(&seed) % 8],
			 next_rand(&seed) % 900 + 1);
		snprintf(birthday, sizeof birthday, "%04u-%02u-%02u", 1960 + next_rand(&seed) % 45,
			 next_rand(&seed) % 12 + 1, next_rand(&seed) % 28 + 1);
		uint32_t g = next_rand(&seed) % 100;
		/* Through the use case, so that demo customers are checked,
		 * indexed for search (T-10) and audited like real ones. */
		struct kf_customer_input in = {
		    .name = name,
		    .phone = phone,
		    .email = i % 3 ? email : NULL,
		    .address = address,
		    .company = i % 4 == 0 ? companies[next_rand(&seed) % 6] : NULL,
		    .grade = g < 5    ? "VIP"
			     : g < 25 ? "A"
			     : g < 65 ? "B"
				      : "C",
		    .birthday = birthday,
		};
		struct kf_customer cu;
		if ((rc = kf_app_customer_insert_tx(c, db, &in, &cu, err)))
			return rc;
		customers[i] = cu.id;
	}
	if ((rc = kf_app_audit(c, db, "demo.load", NULL, NULL,
			       json_pack("{s:i, s:i}", "users",
					 (int)(sizeof people / sizeof *people), "customers", 200),
			       err)))
		return rc;
	if ((rc = kf_db_commit(db, err)))
		return rc;
	return demo_tickets_load(c, db, customers, 200, err);
}
