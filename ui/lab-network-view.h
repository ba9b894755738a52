/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-network-view.h: the Network page: the network drawn as columns of neurons and their
 * connections (the picture of TensorFlow Playground and of Han et al.'s "before/after
 * pruning"), live. Connections take the sign of their weight as colour and |w| as width and
 * opacity; pruned ones disappear (or show dashed), and fade out over a second when a pruning
 * removes them; units whose incoming or outgoing weights are all pruned are hollow. Colouring by
 * the back-propagated |δ| of each unit (or by |∂L/∂w| of each connection) on a log scale shows
 * where the error signal dies; an optional pulse travels from output to input, as bright as the
 * measured ‖δ‖ of each layer. Units show what they compute: their output over the plane for
 * 2-D data, their incoming weights as an image in the first layer of image data, their output
 * on a test image further on; a click enlarges one. Wide layers show their top units by a
 * chosen measure, and say so.
 *
 * The colour scale of |δ| or |∂L/∂w| is the view's y axis (lab_plot_get_y_axis()): share it
 * (lab_plot_share_axes()) to put two networks on one scale. What is drawn is the model in
 * lab-net-graph.h (lab_network_view_get_graph()).
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-net-graph.h"
#include "lab-plot.h"

G_BEGIN_DECLS

#define LAB_TYPE_NET_COLOR (lab_net_color_get_type ())
#define LAB_TYPE_NET_RANK  (lab_net_rank_get_type ())
GType lab_net_color_get_type (void) G_GNUC_CONST;
GType lab_net_rank_get_type  (void) G_GNUC_CONST;

/* How long a pruning takes to fade out, and one backward pulse to cross the net (ms). */
#define LAB_NETWORK_FADE_MS  1000
#define LAB_NETWORK_PULSE_MS 1600

#define LAB_TYPE_NETWORK_VIEW (lab_network_view_get_type ())
G_DECLARE_FINAL_TYPE (LabNetworkView, lab_network_view, LAB, NETWORK_VIEW, LabPlot)

GtkWidget         *lab_network_view_new             (void);
void               lab_network_view_set_color       (LabNetworkView *self,
                                                     LabNetColor     color);
LabNetColor        lab_network_view_get_color       (LabNetworkView *self);
void               lab_network_view_set_rank        (LabNetworkView *self,
                                                     LabNetRank      rank);
LabNetRank         lab_network_view_get_rank        (LabNetworkView *self);
/* Pruned connections as faint dashed lines instead of not at all. */
void               lab_network_view_set_show_pruned (LabNetworkView *self,
                                                     gboolean        show);
gboolean           lab_network_view_get_show_pruned (LabNetworkView *self);
/* Units show what they compute (maps, weight images) where the data allows. */
void               lab_network_view_set_thumbnails  (LabNetworkView *self,
                                                     gboolean        thumbnails);
gboolean           lab_network_view_get_thumbnails  (LabNetworkView *self);
/* The backward pulse, from output to input, with each new snapshot while it trains. */
void               lab_network_view_set_animate     (LabNetworkView *self,
                                                     gboolean        animate);
gboolean           lab_network_view_get_animate     (LabNetworkView *self);

/* The model drawn at the widget's size (built now if it is out of date); NULL before the first
 * heavy snapshot. For tests, hover and describe. */
const LabNetGraph *lab_network_view_get_graph       (LabNetworkView *self);
/* 0 … 1: how far a pruning's fade-out has gone (1: none running). */
double             lab_network_view_get_fade        (LabNetworkView *self);
/* Whether a tick callback is running (a fade or a pulse). */
gboolean           lab_network_view_is_animating    (LabNetworkView *self);
/* Shows neuron @index (of the graph) enlarged, as a click on its thumbnail does; −1 closes. */
void               lab_network_view_set_enlarged    (LabNetworkView *self,
                                                     int             index);
/* The enlarged neuron's index in the graph, or −1. */
int                lab_network_view_get_enlarged    (LabNetworkView *self);

G_END_DECLS
