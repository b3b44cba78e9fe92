import { Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDesk } from './desk-context';

/** The site this desk works at; its time zone is the one times are shown in. */
export function SitePicker() {
  const { t } = useTranslation();
  const { info, site, selectSite } = useDesk();
  if (!info || !site) return null;
  return (
    <Select
      data-testid="site-picker"
      aria-label={t('header.site')}
      className="foyer-site-picker"
      value={site.id}
      onChange={selectSite}
      popupMatchSelectWidth={false}
      labelRender={({ value }) => info.sites.find((s) => s.id === value)?.name ?? null}
      options={info.sites.map((s) => ({
        value: s.id,
        title: s.name,
        label: (
          <Space size={6}>
            <span>{s.name}</span>
            <Typography.Text type="secondary">
              {s.kind === 'gym' ? t('header.siteKind.gym') : t('header.siteKind.clinic')}
            </Typography.Text>
          </Space>
        ),
      }))}
    />
  );
}
