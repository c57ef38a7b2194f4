/* A fictional department for trying kefu out: two teams, the whole chain of
 * command, twelve agents across every level, two technicians and 200
 * customers with Chinese names. Everything is made through the same use
 * cases as real data (so it is audited), and deterministically. */
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
	}
	if ((rc = kf_app_audit(c, db, "demo.load", NULL, NULL,
			       json_pack("{s:i, s:i}", "users",
					 (int)(sizeof people / sizeof *people), "customers", 200),
			       err)))
		return rc;
	return kf_db_commit(db, err);
}
